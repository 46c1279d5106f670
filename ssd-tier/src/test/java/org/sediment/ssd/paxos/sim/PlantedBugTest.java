package org.sediment.ssd.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The checker must bite: with a deliberate bug switched on, the simulator has to report a
 * violation within a bounded number of seeds, the default run's first ones. If one of these
 * starts failing, the simulator or the checker went blind, not the core.
 */
class PlantedBugTest {

    /** {@code -Dsediment.plantSeeds=N} searches longer, to see how rare a bug's detection is. */
    private static final int MAX_SEEDS = Integer.getInteger("sediment.plantSeeds", 60);

    @ParameterizedTest
    @EnumSource(SimSettings.Plant.class)
    void everyPlantedBugIsCaught(SimSettings.Plant bug) {
        SimSettings settings = SimSettings.standard(PaxosSimulationTest.OPS_PER_SEED).planting(bug);
        SimResult caught = null;
        int seeds = 0;
        while (caught == null && seeds < MAX_SEEDS) {
            SimResult r = new Simulation(PaxosSimulationTest.FIRST_SEED + seeds++, settings).run();
            if (!r.ok()) {
                caught = r;
            }
        }
        assertThat(caught).as("planted bug %s must be caught within %d seeds", bug, MAX_SEEDS).isNotNull();
        System.out.println("planted bug " + bug + " caught at seed " + seeds + " of " + MAX_SEEDS + ": "
                + caught.violations().get(0));
    }
}
