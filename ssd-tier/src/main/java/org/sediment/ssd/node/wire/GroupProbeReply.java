package org.sediment.ssd.node.wire;

/**
 * A peer's answer to a {@link GroupProbe}.
 *
 * @param formatted           whether the peer's disk holds this group's state (it was formatted as a
 *                            member), known as soon as it starts, before it has recovered that state
 * @param ready               whether it has recovered its state and serves; only then do the last two
 *                            fields say anything
 * @param voting              whether the peer votes (false while it is learner-only itself)
 * @param timelines           how many timelines the peer holds applied state of
 * @param holdsAcceptedValues whether its acceptor holds an accepted value not yet applied
 */
public record GroupProbeReply(long groupId, int nodeIndex, boolean formatted, boolean ready, boolean voting,
                              int timelines, boolean holdsAcceptedValues) {

    public GroupProbeReply {
        if (nodeIndex < 0) {
            throw new IllegalArgumentException("nodeIndex must be ≥ 0, got " + nodeIndex);
        }
        if (timelines < 0) {
            throw new IllegalArgumentException("timelines must be ≥ 0, got " + timelines);
        }
    }
}
