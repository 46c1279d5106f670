package org.sediment.common.block;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.compress.Compressor;
import org.sediment.common.compress.CorruptDataException;
import org.sediment.common.compress.Crc32c;

/**
 * One block as it lies in a block file: a fixed header, then the block's items, compressed.
 * The layout is in {@code BLOCKS.md} beside this class; {@code BlockRecordSampleTest} reads a
 * committed sample file, so a change of it is deliberate. Big-endian throughout.
 *
 * <p>A reader gets the whole record with one positioned read (the cold link names its offset
 * and length) and trusts nothing in it before the checks of {@link #decode}: header CRC, magic,
 * format, lengths, the payload's CRC, and a bounded decompression.
 */
public final class BlockRecord {
    public static final int MAGIC = 0x5344_424B; // "SDBK"
    public static final byte FORMAT_VERSION = 1;
    public static final int HEADER_BYTES = 56;
    /** A block's raw items at most: bounds what a corrupt header can make a reader allocate. */
    public static final int MAX_RAW_BYTES = 64 << 20;
    /** An item's fixed bytes in the raw encoding: owner, time, seq, value length. */
    static final int ITEM_HEADER_BYTES = 8 + 8 + 4 + 4;

    /** How the payload is stored. */
    public enum Codec {
        RAW(0), ZSTD(1);

        final byte id;

        Codec(int id) {
            this.id = (byte) id;
        }

        static Codec of(byte id) {
            for (Codec c : values()) {
                if (c.id == id) {
                    return c;
                }
            }
            throw new CorruptDataException("unknown block codec " + id);
        }
    }

    /** What a record's header says: enough to check a cold link against it. */
    public record Header(Block block, Codec codec, int itemCount, int rawBytes, int storedBytes, int payloadCrc,
                         long minTs, long maxTs) {

        /** The whole record's length: header and payload. */
        public int recordBytes() {
            return HEADER_BYTES + storedBytes;
        }
    }

    /** An encoded record and its header. */
    public record Encoded(Header header, byte[] bytes) {
    }

    private BlockRecord() {
    }

    /**
     * Encodes {@code items} of {@code block} (at least one; any order, kept as given) with
     * {@code zstd}, or raw when compression would not make them smaller.
     */
    public static Encoded encode(Block block, List<BlockItem> items, Compressor zstd) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a block holds at least one item");
        }
        long raw = 4;
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        for (BlockItem item : items) {
            raw += item.encodedBytes();
            minTs = Math.min(minTs, item.ts());
            maxTs = Math.max(maxTs, item.ts());
        }
        if (raw > MAX_RAW_BYTES) {
            throw new IllegalArgumentException("a block holds at most " + MAX_RAW_BYTES + " raw bytes, got " + raw);
        }
        ByteBuffer plain = ByteBuffer.allocate((int) raw).putInt(items.size());
        for (BlockItem item : items) {
            plain.putLong(item.owner()).putLong(item.ts()).putInt(item.seq()).putInt(item.value().length).put(item.value());
        }
        byte[] rawBytes = plain.array();
        byte[] compressed = zstd.compress(rawBytes);
        Codec codec = compressed.length < rawBytes.length ? Codec.ZSTD : Codec.RAW;
        byte[] payload = codec == Codec.ZSTD ? compressed : rawBytes;
        if (HEADER_BYTES + payload.length > HddApi.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a block record must fit one read of " + HddApi.MAX_RECORD_BYTES
                    + " bytes; these items take " + (HEADER_BYTES + payload.length) + ": sink them as more blocks");
        }
        Header header = new Header(block, codec, items.size(), rawBytes.length, payload.length, Crc32c.of(payload),
                minTs, maxTs);
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        writeHeader(header, out);
        out.put(payload);
        return new Encoded(header, out.array());
    }

    private static void writeHeader(Header h, ByteBuffer out) {
        out.putInt(MAGIC).put(FORMAT_VERSION).put(h.codec().id).putShort((short) HEADER_BYTES)
                .putInt(h.block().bucket()).putLong(h.block().window())
                .putInt(h.itemCount()).putInt(h.rawBytes()).putInt(h.storedBytes()).putInt(h.payloadCrc())
                .putLong(h.minTs()).putLong(h.maxTs());
        out.putInt(Crc32c.of(out.array(), 0, HEADER_BYTES - 4));
    }

    /**
     * The header at the start of {@code record}, checked: its CRC, magic, format and lengths.
     *
     * @throws CorruptDataException whatever does not check out
     */
    public static Header header(byte[] record) {
        if (record.length < HEADER_BYTES) {
            throw new CorruptDataException("a block record is at least " + HEADER_BYTES + " bytes, got " + record.length);
        }
        ByteBuffer in = ByteBuffer.wrap(record);
        if (in.getInt(HEADER_BYTES - 4) != Crc32c.of(record, 0, HEADER_BYTES - 4)) {
            throw new CorruptDataException("block header CRC mismatch");
        }
        if (in.getInt() != MAGIC) {
            throw new CorruptDataException("not a block record (bad magic)");
        }
        byte format = in.get();
        if (format != FORMAT_VERSION) {
            throw new CorruptDataException("block format " + format + ", this build reads " + FORMAT_VERSION);
        }
        Codec codec = Codec.of(in.get());
        short headerBytes = in.getShort();
        if (headerBytes != HEADER_BYTES) {
            throw new CorruptDataException("block header of " + headerBytes + " bytes, expected " + HEADER_BYTES);
        }
        int bucket = in.getInt();
        long window = in.getLong();
        int itemCount = in.getInt();
        int rawBytes = in.getInt();
        int storedBytes = in.getInt();
        int payloadCrc = in.getInt();
        long minTs = in.getLong();
        long maxTs = in.getLong();
        if (bucket < 0 || itemCount < 1 || rawBytes < 4 || rawBytes > MAX_RAW_BYTES
                || itemCount > (rawBytes - 4) / ITEM_HEADER_BYTES || storedBytes < 1
                || (codec == Codec.RAW && storedBytes != rawBytes) || minTs > maxTs) {
            throw new CorruptDataException("block header fields out of range");
        }
        return new Header(new Block(bucket, window), codec, itemCount, rawBytes, storedBytes, payloadCrc, minTs, maxTs);
    }

    /**
     * The items of {@code record}, in the order they were encoded.
     *
     * @param zstd a decompressor (not shared between threads)
     * @throws CorruptDataException a record that does not check out: a torn or damaged copy
     */
    public static List<BlockItem> decode(byte[] record, Compressor zstd) {
        Header h = header(record);
        if (record.length != h.recordBytes()) {
            throw new CorruptDataException("block record of " + record.length + " bytes, its header says "
                    + h.recordBytes());
        }
        if (Crc32c.of(record, HEADER_BYTES, h.storedBytes()) != h.payloadCrc()) {
            throw new CorruptDataException("block payload CRC mismatch");
        }
        byte[] payload = java.util.Arrays.copyOfRange(record, HEADER_BYTES, record.length);
        byte[] raw = h.codec() == Codec.ZSTD ? zstd.decompress(payload, h.rawBytes()) : payload;
        if (raw.length != h.rawBytes()) {
            throw new CorruptDataException("block expands to " + raw.length + " bytes, its header says " + h.rawBytes());
        }
        return items(raw, h.itemCount());
    }

    private static List<BlockItem> items(byte[] raw, int expected) {
        try {
            ByteBuffer in = ByteBuffer.wrap(raw);
            int count = in.getInt();
            if (count != expected) {
                throw new CorruptDataException("block holds " + count + " items, its header says " + expected);
            }
            List<BlockItem> items = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long owner = in.getLong();
                long ts = in.getLong();
                int seq = in.getInt();
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new CorruptDataException("item " + i + " claims " + length + " bytes");
                }
                byte[] value = new byte[length];
                in.get(value);
                items.add(new BlockItem(owner, ts, seq, value));
            }
            if (in.hasRemaining()) {
                throw new CorruptDataException(in.remaining() + " bytes after the last item");
            }
            return items;
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptDataException("block items end early");
        }
    }
}
