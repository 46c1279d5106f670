package org.sediment.ssd.paxos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A handful of seeds, for fast feedback while developing. */
class QuickSimTest {
    @Test
    void fewSeeds() {
        for (long s = 1; s <= Integer.getInteger("sediment.quickSeeds", 5); s++) {
            SimResult r = new Simulation(s, SimSettings.standard(2_000)).run();
            System.out.println(r.report());
            assertThat(r.ok()).as("seed %d, see the report above", s).isTrue();
        }
    }
}
