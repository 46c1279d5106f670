package org.sediment.ssd.paxos.sim;

/** What one simulated run does, besides its seed. */
record SimSettings(int clientOps, int clients, int timelines, int clientTimeoutMs, boolean faults,
                   boolean plantReadWithoutMajority, boolean plantForgetPromisesOnRestart) {

    static SimSettings standard(int clientOps) {
        return new SimSettings(clientOps, 12, 3, 300, true, false, false);
    }

    SimSettings withReadWithoutMajority() {
        return new SimSettings(clientOps, clients, timelines, clientTimeoutMs, faults, true, false);
    }

    SimSettings withForgetPromisesOnRestart() {
        return new SimSettings(clientOps, clients, timelines, clientTimeoutMs, faults, false, true);
    }
}
