package org.sediment.ssd.node.wire;

import java.util.List;

/**
 * Asks a peer for its digest of each listed timeline (the digest audit a node runs after it
 * relearned a lost disk). Answered by a {@link DigestReply}.
 */
public record DigestRequest(long groupId, int fromNode, List<Long> timelines) {
    /** Timelines per request: a reply of this many digests stays far below any frame limit. */
    public static final int MAX_TIMELINES = 4096;

    public DigestRequest {
        timelines = List.copyOf(timelines);
        if (fromNode < 0) {
            throw new IllegalArgumentException("fromNode must be ≥ 0, got " + fromNode);
        }
        if (timelines.size() > MAX_TIMELINES) {
            throw new IllegalArgumentException(timelines.size() + " timelines exceed " + MAX_TIMELINES);
        }
    }
}
