package org.sediment.ssd.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The checker must bite: with a deliberate bug switched on, the simulator has to report a
 * violation within a bounded number of seeds. If these tests start failing, the simulator or the
 * checker went blind, not the core.
 */
class PlantedBugTest {

    private static final int MAX_SEEDS = 50;

    @Test
    void readsServedWithoutAMajorityAreCaught() {
        SimResult caught = firstViolation(SimSettings.standard(2_000).withReadWithoutMajority());
        assertThat(caught).as("a stale local read must be detected within %d seeds", MAX_SEEDS).isNotNull();
        System.out.println("planted bug (read without probe) caught: " + caught.report());
    }

    @Test
    void acceptorsThatForgetPromisesOnRestartAreCaught() {
        SimResult caught = firstViolation(SimSettings.standard(2_000).withForgetPromisesOnRestart());
        assertThat(caught).as("amnesic acceptors must be detected within %d seeds", MAX_SEEDS).isNotNull();
        System.out.println("planted bug (forget promises) caught: " + caught.report());
    }

    private static SimResult firstViolation(SimSettings settings) {
        for (long seed = 1; seed <= MAX_SEEDS; seed++) {
            SimResult r = new Simulation(seed, settings).run();
            if (!r.ok()) {
                return r;
            }
        }
        return null;
    }
}
