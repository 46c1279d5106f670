package org.sediment.ssd.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The default simulation run: many seeds with the full fault mix, each checked for agreement,
 * convergence and linearizability. {@code -Dsediment.long=true} runs 20x more seeds;
 * {@code -Dsediment.seed=N} (with {@link #replaySeed}) replays one seed.
 */
class PaxosSimulationTest {

    static final int DEFAULT_SEEDS = 1_500;
    static final int OPS_PER_SEED = 2_100;
    static final long FIRST_SEED = 0x5ED1_0000L;

    @Test
    void manySeedsWithFaultsStayLinearizable() {
        int seeds = Boolean.getBoolean("sediment.long") ? DEFAULT_SEEDS * 20 : DEFAULT_SEEDS;
        List<String> failures = new ArrayList<>();
        SimStats total = new SimStats();
        long operations = 0;
        long started = System.nanoTime();
        for (int i = 0; i < seeds; i++) {
            SimResult r = new Simulation(FIRST_SEED + i, SimSettings.standard(OPS_PER_SEED)).run();
            operations += r.operations();
            total.add(r.stats());
            if (!r.ok()) {
                failures.add(r.report());
                System.out.println(r.report());
            }
        }
        System.out.printf("simulated %d seeds, %d client operations in %.1f s; %s%n", seeds, operations,
                (System.nanoTime() - started) / 1e9, total);
        assertThat(failures).isEmpty();
        assertThat(operations).isGreaterThanOrEqualTo(1_000_000L);
        assertThat(total.duplicates).isZero();
        assertThat(total.recoveries).as("restarts recover through the node's recovery").isPositive();
        assertThat(total.recordsLostInCrashes).as("crashes lose unsynced writes").isPositive();
    }

    @Test
    void replaySeed() {
        String seed = System.getProperty("sediment.seed");
        Assumptions.assumeTrue(seed != null, "replays one seed: -Dsediment.seed=N");
        SimSettings settings = SimSettings.standard(Integer.getInteger("sediment.ops", OPS_PER_SEED));
        String plant = System.getProperty("sediment.plant", "");
        if (!plant.isEmpty()) {
            settings = settings.planting(SimSettings.Plant.valueOf(plant));
        }
        SimResult r = new Simulation(Long.decode(seed), settings).run();
        System.out.println(r.report());
        assertThat(r.violations()).isEmpty();
    }
}
