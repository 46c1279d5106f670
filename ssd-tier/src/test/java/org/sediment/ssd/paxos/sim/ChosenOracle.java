package org.sediment.ssd.paxos.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.sediment.ssd.paxos.Proposal;

/**
 * Every value any replica applied, by timeline and entry. Two replicas applying different values
 * at one entry is the Paxos safety violation itself, so it is checked the moment it happens.
 */
final class ChosenOracle {
    private final Map<Long, TreeMap<Long, Proposal>> log = new HashMap<>();
    private String violation;

    /** The run id of every value the simulator forges: none may ever be applied. */
    static final long FORGED_RUN_ID = 0x0F0F_0F0F_0F0F_0F0FL;

    void applied(int node, long timeline, long entry, Proposal value) {
        if (value.runId() == FORGED_RUN_ID && violation == null) {
            violation = "FORGERY: node " + node + " applied a forged value at timeline " + timeline + " entry " + entry;
        }
        Proposal previous = log.computeIfAbsent(timeline, k -> new TreeMap<>()).putIfAbsent(entry, value);
        if (previous != null && !previous.sameIdentity(value) && violation == null) {
            violation = "AGREEMENT: timeline " + timeline + " entry " + entry + " applied as " + previous
                    + " elsewhere but as " + value + " on node " + node;
        }
    }

    String violation() {
        return violation;
    }

    TreeMap<Long, Proposal> log(long timeline) {
        return log.getOrDefault(timeline, new TreeMap<>());
    }
}
