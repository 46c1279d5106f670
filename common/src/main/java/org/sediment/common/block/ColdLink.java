package org.sediment.common.block;

import java.nio.ByteBuffer;
import org.sediment.common.key.ItemKey;

/**
 * Where one sunk block of a timeline lives in the cold tier: enough for a reader to fetch it
 * with exactly one disk read on one replica of the HDD group, and to check what it got. The SSD
 * tier stores these (DESIGN §3, "cold links") and hands them to readers whose page reaches data
 * that sank.
 *
 * @param hddGroup  the HDD group holding the block's three replicas
 * @param disk      the disk directory within each replica of the group
 * @param file      the block file on that disk
 * @param offset    byte offset of the block in the file
 * @param length    the block's stored (compressed) size in bytes
 * @param crc       CRC32C of the stored bytes
 * @param itemCount items in the block
 * @param minTs     oldest item time in the block, epoch-ms
 * @param maxTs     newest item time in the block, epoch-ms
 */
public record ColdLink(int hddGroup, int disk, long file, long offset, int length, int crc, int itemCount,
                       long minTs, long maxTs) {

    /**
     * Links are stored durably in the SSD tier for as long as the data lives, so the binary form
     * starts with a format byte: a later layout can be told apart from this one.
     */
    public static final byte FORMAT_VERSION = 1;
    public static final int ENCODED_BYTES = 1 + 4 + 4 + 8 + 8 + 4 + 4 + 4 + 8 + 8;

    public ColdLink {
        // Plain ifs rather than a helper: a message built per call would cost on every decode.
        if (hddGroup < 0) {
            throw new IllegalArgumentException("hddGroup must be ≥ 0, got " + hddGroup);
        }
        if (disk < 0) {
            throw new IllegalArgumentException("disk must be ≥ 0, got " + disk);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be ≥ 0, got " + offset);
        }
        if (length < 1) {
            throw new IllegalArgumentException("length must be ≥ 1, got " + length);
        }
        if (itemCount < 0) {
            throw new IllegalArgumentException("itemCount must be ≥ 0, got " + itemCount);
        }
        if (minTs < ItemKey.MIN_TS || minTs > maxTs || maxTs > ItemKey.MAX_TS) {
            throw new IllegalArgumentException("time range must satisfy " + ItemKey.MIN_TS + " ≤ minTs ≤ maxTs ≤ "
                    + ItemKey.MAX_TS + ", got [" + minTs + ", " + maxTs + "]");
        }
    }

    public byte[] encode() {
        return ByteBuffer.allocate(ENCODED_BYTES)
                .put(FORMAT_VERSION)
                .putInt(hddGroup)
                .putInt(disk)
                .putLong(file)
                .putLong(offset)
                .putInt(length)
                .putInt(crc)
                .putInt(itemCount)
                .putLong(minTs)
                .putLong(maxTs)
                .array();
    }

    /** @throws IllegalArgumentException wrong length, unknown format or invalid fields */
    public static ColdLink decode(byte[] bytes) {
        if (bytes.length != ENCODED_BYTES) {
            throw new IllegalArgumentException("a cold link is " + ENCODED_BYTES + " bytes, got " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte format = in.get();
        if (format != FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "unknown cold link format " + format + ", this build reads " + FORMAT_VERSION);
        }
        return new ColdLink(in.getInt(), in.getInt(), in.getLong(), in.getLong(), in.getInt(), in.getInt(),
                in.getInt(), in.getLong(), in.getLong());
    }

    @Override
    public String toString() {
        return "cold(" + hddGroup + "/" + disk + "/" + file + "@" + offset + "+" + length + ", " + itemCount
                + " items " + minTs + ".." + maxTs + ")";
    }
}
