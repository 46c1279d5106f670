package org.sediment.ssd.node.wire;

import java.util.List;

/** A peer's digests, one per requested timeline, each at the version the peer holds now. */
public record DigestReply(long groupId, List<TimelineDigest> digests) {

    public DigestReply {
        digests = List.copyOf(digests);
        if (digests.size() > DigestRequest.MAX_TIMELINES) {
            throw new IllegalArgumentException(digests.size() + " digests exceed " + DigestRequest.MAX_TIMELINES);
        }
    }
}
