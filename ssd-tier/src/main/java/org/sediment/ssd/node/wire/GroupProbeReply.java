package org.sediment.ssd.node.wire;

/**
 * A peer's answer to a {@link GroupProbe}.
 *
 * @param formatted whether the peer's disk holds this group's state (it was formatted as a member)
 * @param voting    whether the peer votes (false while it is learner-only itself)
 * @param timelines how many timelines the peer holds
 */
public record GroupProbeReply(long groupId, int nodeIndex, boolean formatted, boolean voting, int timelines) {

    public GroupProbeReply {
        if (nodeIndex < 0) {
            throw new IllegalArgumentException("nodeIndex must be ≥ 0, got " + nodeIndex);
        }
        if (timelines < 0) {
            throw new IllegalArgumentException("timelines must be ≥ 0, got " + timelines);
        }
    }
}
