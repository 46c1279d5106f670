package org.sediment.ssd.node.wire;

/**
 * Sent by a node that starts with an empty disk, to each peer of its group: does the group hold
 * data? If any peer does, the disk was lost and the node must start learner-only; if none does,
 * the group is new. Answered by a {@link GroupProbeReply}.
 */
public record GroupProbe(long groupId, int fromNode) {

    public GroupProbe {
        if (fromNode < 0) {
            throw new IllegalArgumentException("fromNode must be ≥ 0, got " + fromNode);
        }
    }
}
