package org.sediment.ssd.paxos.sim;

import org.sediment.ssd.paxos.PlantedBug;

/** What one simulated run does, besides its seed; {@code plant} switches on a deliberate bug (or null). */
record SimSettings(int clientOps, int clients, int timelines, int clientTimeoutMs, boolean faults, Plant plant) {

    /** Bugs a run can plant: in the core ({@link PlantedBug}), or in the simulated node's recovery. */
    enum Plant {
        READS_WITHOUT_MAJORITY(PlantedBug.READS_WITHOUT_MAJORITY),
        PREPARE_REPLY_BEFORE_DURABLE(PlantedBug.PREPARE_REPLY_BEFORE_DURABLE),
        ACCEPT_REPLY_BEFORE_DURABLE(PlantedBug.ACCEPT_REPLY_BEFORE_DURABLE),
        CHOOSE_WITHOUT_MAJORITY(PlantedBug.CHOOSE_WITHOUT_MAJORITY),
        FENCE_FROM_PEERS_COMMITTED(PlantedBug.FENCE_FROM_PEERS_COMMITTED),
        VOTE_BEFORE_RELEARNED(PlantedBug.VOTE_BEFORE_RELEARNED),
        FAST_ACCEPT_ACROSS_RESTART(PlantedBug.FAST_ACCEPT_ACROSS_RESTART),
        /** Acceptor records are not reloaded after a restart. */
        FORGET_PROMISES_ON_RESTART(null),
        /** A restart skips the log replay: only the checkpoint is recovered. */
        SKIP_RECOVERY_REPLAY(null);

        final PlantedBug inCore;

        Plant(PlantedBug inCore) {
            this.inCore = inCore;
        }
    }

    /** The default run: 12 clients, 16 timelines (one hot), a 300 ms client timeout, faults on. */
    static SimSettings standard(int clientOps) {
        return new SimSettings(clientOps, 12, 16, 300, true, null);
    }

    SimSettings planting(Plant bug) {
        return new SimSettings(clientOps, clients, timelines, clientTimeoutMs, faults, bug);
    }

    boolean planted(Plant bug) {
        return plant == bug;
    }
}
