package org.sediment.router.client;

import java.nio.ByteBuffer;
import java.util.Base64;
import org.sediment.common.compress.Crc32c;
import org.sediment.common.key.ItemKey;

/**
 * Where a page ends: the position of its last (oldest) item. The next page holds what is strictly
 * older, so paging stays correct while items are appended (new items are newer than every cursor).
 * Opaque to callers: {@link #encode()} gives a short URL-safe string that {@link #decode} checks
 * (format, kind, checksum), so a cursor from another timeline or a mangled one is refused with a
 * clear error instead of silently paging the wrong place.
 *
 * @param kind  a timeline's cursor or a feed's
 * @param owner the timeline's owner; in a feed, the owner of the last item (ties at one
 *              {@code (ts, seq)} are broken by owner)
 */
public record Cursor(Kind kind, long ts, int seq, long owner) {

    public enum Kind { TIMELINE, FEED }

    private static final byte FORMAT = 1;
    private static final int BYTES = 1 + 1 + 8 + 4 + 8 + 4;

    public Cursor {
        if (kind == null) {
            throw new IllegalArgumentException("cursor kind must be set");
        }
        if (ts < ItemKey.MIN_TS || ts > ItemKey.MAX_TS) {
            throw new IllegalArgumentException("cursor ts " + ts + " out of range");
        }
    }

    public static Cursor timeline(long owner, long ts, int seq) {
        return new Cursor(Kind.TIMELINE, ts, seq, owner);
    }

    public static Cursor feed(long owner, long ts, int seq) {
        return new Cursor(Kind.FEED, ts, seq, owner);
    }

    public String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        buffer.put(FORMAT).put((byte) kind.ordinal()).putLong(ts).putInt(seq).putLong(owner);
        buffer.putInt(Crc32c.of(buffer.array(), 0, BYTES - 4));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /**
     * The cursor {@code text} encodes, which must be of {@code kind}.
     *
     * @throws SedimentException {@link SedimentException.Reason#INVALID} with what is wrong
     */
    public static Cursor decode(String text, Kind kind) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid("is not a cursor this service made (not base64url)");
        }
        if (bytes.length != BYTES || bytes[0] != FORMAT) {
            throw invalid("is not a cursor this service made (wrong length or format)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt(BYTES - 4) != Crc32c.of(bytes, 0, BYTES - 4)) {
            throw invalid("is damaged (checksum mismatch)");
        }
        buffer.get();
        int kindByte = buffer.get();
        if (kindByte != kind.ordinal()) {
            throw invalid("is a " + (kindByte == Kind.FEED.ordinal() ? "feed" : "timeline") + " cursor, not a "
                    + kind.name().toLowerCase() + " cursor");
        }
        long ts = buffer.getLong();
        int seq = buffer.getInt();
        long owner = buffer.getLong();
        if (ts < ItemKey.MIN_TS || ts > ItemKey.MAX_TS) {
            throw invalid("names a time out of range");
        }
        return new Cursor(kind, ts, seq, owner);
    }

    /**
     * The oldest position newer than this one (timeline order: ts, then seq as unsigned), so that
     * "strictly older than it" includes this cursor's own position; null when none is newer.
     */
    Cursor justNewer() {
        if (seq != -1) {
            return new Cursor(kind, ts, seq + 1, owner);
        }
        return ts == ItemKey.MAX_TS ? null : new Cursor(kind, ts + 1, 0, owner);
    }

    private static SedimentException invalid(String what) {
        return new SedimentException(SedimentException.Reason.INVALID, "the cursor " + what);
    }

    @Override
    public String toString() {
        return encode();
    }
}
