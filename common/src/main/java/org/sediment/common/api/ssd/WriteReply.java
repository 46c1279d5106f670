package org.sediment.common.api.ssd;

import org.sediment.common.wire.WireFields;

/**
 * The answer to a {@link WriteRequest} or a {@link ColdLinkCommit}. Which fields mean something
 * depends on the status; the others hold {@link SsdApi#NO_VERSION} (versions) or 0 (seq), so a
 * reply has one form per outcome:
 * <ul>
 *   <li>{@link WriteStatus#OK}: {@code version} is the timeline version after the write (≥ 1),
 *       {@code seq} the item's seq (assigned, for an append).</li>
 *   <li>{@link WriteStatus#VERSION_MISMATCH}: {@code actualVersion} is the timeline's version
 *       once the failed check was decided. The check itself takes a log entry (versions are log
 *       indexes), so this is the version to retry a compare-and-set with.</li>
 *   <li>{@link WriteStatus#CONTENDED}: nothing is known; {@code detail} says why.</li>
 * </ul>
 *
 * @param detail for humans and logs, clipped to {@link SsdApi#MAX_DETAIL_BYTES} UTF-8 bytes;
 *               callers react to the status only
 */
public record WriteReply(WriteStatus status, long version, int seq, long actualVersion, String detail) {

    public WriteReply {
        Checks.notNull(status, "status");
        Checks.notNull(detail, "detail");
        detail = WireFields.clip(detail, SsdApi.MAX_DETAIL_BYTES);
        boolean ok = switch (status) {
            case OK -> version >= 1 && actualVersion == SsdApi.NO_VERSION;
            case VERSION_MISMATCH -> version == SsdApi.NO_VERSION && seq == 0 && actualVersion >= 0;
            case CONTENDED -> version == SsdApi.NO_VERSION && seq == 0 && actualVersion == SsdApi.NO_VERSION;
        };
        if (!ok) {
            throw new IllegalArgumentException("a reply with status " + status + " cannot carry version " + version
                    + ", seq " + seq + ", actualVersion " + actualVersion);
        }
    }

    public static WriteReply ok(long version, int seq) {
        return new WriteReply(WriteStatus.OK, version, seq, SsdApi.NO_VERSION, "");
    }

    public static WriteReply versionMismatch(long actualVersion) {
        return new WriteReply(WriteStatus.VERSION_MISMATCH, SsdApi.NO_VERSION, 0, actualVersion, "");
    }

    public static WriteReply contended(String detail) {
        return new WriteReply(WriteStatus.CONTENDED, SsdApi.NO_VERSION, 0, SsdApi.NO_VERSION, detail);
    }
}
