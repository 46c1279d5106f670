package org.sediment.router.client;

import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteRequest;

/**
 * One write as a value: what {@link SedimentClient#write} takes. Build one with {@link #append},
 * {@link #put} or {@link #delete}, then optionally make it conditional ({@link #ifVersion}) or
 * give it the caller's own idempotency id ({@link #withRequestId}).
 *
 * @param ifVersion {@link SsdApi#UNCONDITIONAL}, or the version the timeline must be at
 * @param requestId the id every retry of this write carries, so it applies at most once;
 *                  {@link WriteRequest#NO_REQUEST_ID} lets the client pick a random one
 */
public record Write(long owner, WriteKind kind, long ts, int seq, byte[] value, long ifVersion, long requestId) {

    private static final byte[] NONE = new byte[0];

    public Write {
        if (kind == null || value == null) {
            throw new IllegalArgumentException("kind and value must be set");
        }
    }

    public static Write append(long owner, long ts, byte[] value) {
        return new Write(owner, WriteKind.APPEND, ts, 0, value, SsdApi.UNCONDITIONAL, WriteRequest.NO_REQUEST_ID);
    }

    public static Write put(long owner, long ts, int seq, byte[] value) {
        return new Write(owner, WriteKind.PUT, ts, seq, value, SsdApi.UNCONDITIONAL, WriteRequest.NO_REQUEST_ID);
    }

    public static Write delete(long owner, long ts, int seq) {
        return new Write(owner, WriteKind.DELETE, ts, seq, NONE, SsdApi.UNCONDITIONAL, WriteRequest.NO_REQUEST_ID);
    }

    /**
     * The same write, applied only if nothing was written to the timeline after {@code version},
     * a version this caller saw (compare-and-set); otherwise {@link VersionConflictException}.
     */
    public Write ifVersion(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("a timeline version is ≥ 0, got " + version);
        }
        return new Write(owner, kind, ts, seq, value, version, requestId);
    }

    /** The same write under the caller's idempotency id (non-zero): a resend with it applies at most once. */
    public Write withRequestId(long id) {
        return new Write(owner, kind, ts, seq, value, ifVersion, id);
    }
}
