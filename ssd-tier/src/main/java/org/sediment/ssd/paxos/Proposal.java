package org.sediment.ssd.paxos;

import java.util.List;

/**
 * The value of one log entry: a batch of operations from one proposer. Identity is
 * {@code (proposer, runId, seq)}: {@code runId} is drawn at every start of the replica, so two
 * incarnations of one node (before and after a disk loss) never produce equal identities.
 * An empty batch is a no-op, used to finish an entry for a strong read or a rejoin.
 *
 * <p>Batching rule: a conditional operation travels alone, so "the timeline version" it tests is
 * exactly the version before its entry.
 */
public record Proposal(int proposer, long runId, long seq, List<Operation> ops) {

    public Proposal {
        ops = List.copyOf(ops);
        assert ops.size() <= 1 || ops.stream().noneMatch(Operation::conditional)
                : "a conditional operation must be proposed alone: " + ops;
    }

    public boolean sameIdentity(Proposal other) {
        return other != null && proposer == other.proposer && runId == other.runId && seq == other.seq;
    }

    /** Bytes of the values and links it carries: what keeping it in memory mostly costs. */
    public long payloadBytes() {
        long bytes = 0;
        for (Operation op : ops) {
            bytes += switch (op) {
                case Operation.Append a -> a.value().length;
                case Operation.Put p -> p.value().length;
                case Operation.Delete d -> 0;
                case Operation.CommitColdLink c -> c.link().length;
            };
        }
        return bytes;
    }

    public boolean isNoop() {
        return ops.isEmpty();
    }

    @Override
    public String toString() {
        return "P(" + proposer + ":" + Long.toHexString(runId & 0xffff) + ":" + seq + " " + ops + ")";
    }
}
