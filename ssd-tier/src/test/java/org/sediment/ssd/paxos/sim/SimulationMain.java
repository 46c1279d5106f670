package org.sediment.ssd.paxos.sim;

/**
 * Soak: runs any number of seeds and prints every failing seed with its replay command.
 * Usage (after {@code ./mvnw -o -q -pl ssd-tier -am test-compile}):
 * {@code java -ea -cp ssd-tier/target/test-classes:ssd-tier/target/classes:common/target/classes
 * org.sediment.ssd.paxos.sim.SimulationMain <firstSeed> <seeds> [opsPerSeed]}
 */
public final class SimulationMain {
    private SimulationMain() {
    }

    public static void main(String[] args) {
        long first = args.length > 0 ? Long.decode(args[0]) : System.nanoTime();
        long seeds = args.length > 1 ? Long.parseLong(args[1]) : 1_000;
        int ops = args.length > 2 ? Integer.parseInt(args[2]) : PaxosSimulationTest.OPS_PER_SEED;
        int failures = 0;
        long operations = 0;
        for (long s = first; s < first + seeds; s++) {
            SimResult r = new Simulation(s, SimSettings.standard(ops)).run();
            operations += r.operations();
            if (!r.ok()) {
                failures++;
                System.out.println(r.report());
            }
            if ((s - first + 1) % 1000 == 0) {
                System.out.printf("%d seeds, %d operations, %d failing%n", s - first + 1, operations, failures);
            }
        }
        System.out.printf("done: %d seeds from %d, %d operations, %d failing%n", seeds, first, operations, failures);
        System.exit(failures == 0 ? 0 : 1);
    }
}
