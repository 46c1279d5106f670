package org.sediment.common.key;

/**
 * The address of one item: {@code (owner u64, ts epoch-ms, seq u32)}.
 *
 * <p>The {@linkplain #encode() byte encoding} sorts, under unsigned lexicographic comparison,
 * by owner ascending, then ts descending, then seq descending. A forward LevelDB scan from
 * {@link #timelineStart(long)} therefore reads one owner's timeline newest first, which is how
 * phones read it, and no store ever needs a reverse iterator.
 *
 * @param owner unsigned 64-bit owner id (compare with {@link Long#compareUnsigned})
 * @param ts    item time in epoch milliseconds, within [{@link #MIN_TS}, {@link #MAX_TS}]
 * @param seq   unsigned 32-bit tie breaker for items that share a millisecond
 */
public record ItemKey(long owner, long ts, int seq) implements Comparable<ItemKey> {

    public static final int ENCODED_BYTES = 20;
    public static final long MIN_TS = 0L;
    /** 9999-12-31T23:59:59.999Z: later timestamps are a client bug, not data. */
    public static final long MAX_TS = 253_402_300_799_999L;

    public ItemKey {
        if (ts < MIN_TS || ts > MAX_TS) {
            throw new IllegalArgumentException(
                    "ts " + ts + " out of range [" + MIN_TS + ", " + MAX_TS + "] epoch-ms");
        }
    }

    public byte[] encode() {
        byte[] out = new byte[ENCODED_BYTES];
        encodeInto(out, 0);
        return out;
    }

    public void encodeInto(byte[] out, int offset) {
        putLong(out, offset, owner);
        // Flipping every bit turns ascending order into descending order.
        putLong(out, offset + 8, ~ts);
        putInt(out, offset + 16, ~seq);
    }

    public static ItemKey decode(byte[] in) {
        return decode(in, 0, in.length);
    }

    public static ItemKey decode(byte[] in, int offset, int length) {
        if (length != ENCODED_BYTES) {
            throw new IllegalArgumentException(
                    "an item key is " + ENCODED_BYTES + " bytes, got " + length);
        }
        return new ItemKey(getLong(in, offset), ~getLong(in, offset + 8), ~getInt(in, offset + 16));
    }

    /** The smallest encoded key of {@code owner}'s timeline: its newest possible item. */
    public static byte[] timelineStart(long owner) {
        return new ItemKey(owner, MAX_TS, -1).encode();
    }

    /** Encoded prefix shared by every key of {@code owner}'s timeline. */
    public static byte[] ownerPrefix(long owner) {
        byte[] out = new byte[8];
        putLong(out, 0, owner);
        return out;
    }

    /** Timeline order: owner ascending, then newest first. Agrees with the encoded order. */
    @Override
    public int compareTo(ItemKey other) {
        int c = Long.compareUnsigned(owner, other.owner);
        if (c != 0) {
            return c;
        }
        c = Long.compare(other.ts, ts);
        if (c != 0) {
            return c;
        }
        return Integer.compareUnsigned(other.seq, seq);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(owner) + "/" + ts + "/" + Integer.toUnsignedString(seq);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 3; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static int getInt(byte[] b, int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
