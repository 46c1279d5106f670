package org.sediment.common.rpc;

import org.sediment.common.wire.FrameHeader;

/**
 * Per-call header fields and the call's deadline.
 *
 * @param routeVersion     the caller's route version; servers reject older ones (STALE_ROUTE)
 * @param businessPriority 0..255, lower is more important (DAGOR)
 * @param userPriority     0..127, lower is more important (DAGOR)
 * @param timeoutMs        from the moment the request is handed to its connection until the
 *                         reply; then the outcome is a LOCAL TIMEOUT
 */
public record CallOptions(long routeVersion, int businessPriority, int userPriority, long timeoutMs) {

    public CallOptions {
        if (businessPriority < 0 || businessPriority > FrameHeader.MAX_BUSINESS_PRIORITY) {
            throw new IllegalArgumentException("businessPriority must be in [0, "
                    + FrameHeader.MAX_BUSINESS_PRIORITY + "], got " + businessPriority);
        }
        if (userPriority < 0 || userPriority > FrameHeader.MAX_USER_PRIORITY) {
            throw new IllegalArgumentException("userPriority must be in [0, "
                    + FrameHeader.MAX_USER_PRIORITY + "], got " + userPriority);
        }
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("timeoutMs must be at least 1, got " + timeoutMs);
        }
    }

    /** Top priorities; for calls that carry routes but no user (sinker jobs, tests). */
    public static CallOptions of(long routeVersion, long timeoutMs) {
        return new CallOptions(routeVersion, 0, 0, timeoutMs);
    }
}
