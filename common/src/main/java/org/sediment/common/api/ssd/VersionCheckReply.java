package org.sediment.common.api.ssd;

import java.util.List;

/**
 * One {@link VersionVerdict} per claim of the {@link VersionCheckRequest}, in the same order.
 * The whole reply fits one frame body: a server shortens the fresh pages (see
 * {@link VersionVerdict}) to stay within {@link SsdApi#MAX_BODY_BYTES}, using
 * {@link #EMPTY_BYTES} and {@link VersionVerdict#encodedBytes()}.
 */
public record VersionCheckReply(List<VersionVerdict> verdicts) {

    /** The verdict count. */
    public static final int EMPTY_BYTES = 4;

    public VersionCheckReply {
        verdicts = Checks.list(verdicts, SsdApi.MAX_VERSION_CLAIMS, "verdicts");
        long bytes = EMPTY_BYTES;
        for (VersionVerdict verdict : verdicts) {
            bytes += verdict.encodedBytes();
        }
        Checks.fitsOneFrame(bytes, "a version check reply");
    }
}
