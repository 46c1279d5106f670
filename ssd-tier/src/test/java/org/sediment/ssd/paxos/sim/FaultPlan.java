package org.sediment.ssd.paxos.sim;

import org.sediment.common.time.RandomSource;

/**
 * How hostile one run is, drawn from its seed so that calm and harsh runs both occur. All
 * probabilities are per message, per disk write, or per fault-scheduler step (every
 * {@link #STEP_MS}).
 *
 * @param diskStallRate       a write that stalls the disk for 10-160 ms (every later write waits)
 * @param aimAtUnsyncedShare  crashes that pick a replica with writes it has not synced yet
 * @param secondFaultShare    restarts of a learner that are hit by a second crash while it relearns
 * @param midOutputCrashRate  steps that tell peers of a chosen value, cut short by a crash before
 *                            any message leaves
 * @param forgeryRate         fault steps that deliver a forged peer message
 */
record FaultPlan(double dropRate, double duplicateRate, int maxDelayMs, double slowMessageRate,
                 double partitionRate, double oneWayShare, double crashRate, double diskLossShare,
                 double skewRate, double diskStallRate, double aimAtUnsyncedShare, double secondFaultShare,
                 double midOutputCrashRate, double forgeryRate) {

    static final int STEP_MS = 10;

    static FaultPlan draw(RandomSource r) {
        return new FaultPlan(
                r.nextDouble() * 0.10,
                r.nextDouble() * 0.05,
                1 + r.nextInt(12),
                r.nextDouble() * 0.02,
                r.nextDouble() * 0.02,
                0.5,
                r.nextDouble() * 0.03,
                0.3,
                0.01,
                r.chance(0.5) ? r.nextDouble() * 0.02 : 0,
                r.nextDouble(),
                0.5,
                r.chance(0.5) ? r.nextDouble() * 0.002 : 0,
                r.chance(0.5) ? r.nextDouble() * 0.05 : 0);
    }

    /** Frequent plain crashes (no disk loss): restarts are where amnesia bugs show. */
    FaultPlan crashHeavy() {
        return new FaultPlan(dropRate, duplicateRate, maxDelayMs, slowMessageRate, partitionRate, oneWayShare,
                Math.max(crashRate, 0.04), 0, skewRate, diskStallRate, aimAtUnsyncedShare, secondFaultShare,
                midOutputCrashRate, forgeryRate);
    }

    /** Crashes aimed at replicas with unsynced writes, on a disk that stalls often: durability windows stay open. */
    FaultPlan durabilityWindows() {
        return new FaultPlan(dropRate, duplicateRate, maxDelayMs, slowMessageRate, partitionRate, oneWayShare,
                Math.max(crashRate, 0.05), 0, skewRate, Math.max(diskStallRate, 0.05), 1, secondFaultShare,
                midOutputCrashRate, forgeryRate);
    }

    /** Mostly lost disks, and learners hit again while they relearn: rejoin bugs show here. */
    FaultPlan rejoinHeavy() {
        return new FaultPlan(dropRate, duplicateRate, maxDelayMs, slowMessageRate, partitionRate, oneWayShare,
                Math.max(crashRate, 0.04), 0.8, skewRate, diskStallRate, aimAtUnsyncedShare, 0.9,
                Math.max(midOutputCrashRate, 0.01), forgeryRate);
    }

    static FaultPlan none() {
        return new FaultPlan(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
