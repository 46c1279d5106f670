package org.sediment.common.api.ssd;

/** One item of a timeline by its exact key {@code (ts, seq)}; answered with a {@link GetReply}. */
public record GetRequest(long timeline, ReadMode mode, long ts, int seq) {

    public GetRequest {
        Checks.notNull(mode, "mode");
        Checks.ts(ts, "ts");
    }
}
