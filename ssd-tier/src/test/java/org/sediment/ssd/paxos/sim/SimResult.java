package org.sediment.ssd.paxos.sim;

import java.util.List;

/** The verdict of one seed. */
record SimResult(long seed, SimSettings settings, List<String> violations, SimStats stats, int operations, long virtualMs,
                 FaultPlan faults) {

    boolean ok() {
        return violations.isEmpty();
    }

    static String replayCommand(long seed, SimSettings settings) {
        String plant = settings.plant() == null ? "" : " -Dsediment.plant=" + settings.plant();
        return "./mvnw -o -q -pl ssd-tier -am test -Dtest=PaxosSimulationTest#replaySeed -Dsediment.seed=" + seed
                + " -Dsediment.ops=" + settings.clientOps() + plant + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    String report() {
        return "seed " + seed + ": " + (ok() ? "ok" : "VIOLATION") + ", " + operations + " ops in " + virtualMs
                + " virtual ms; " + stats + (ok() ? "" : "\n  " + String.join("\n  ", violations)
                + "\n  replay: " + replayCommand(seed, settings));
    }
}
