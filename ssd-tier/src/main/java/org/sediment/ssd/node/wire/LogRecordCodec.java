package org.sediment.ssd.node.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.sediment.common.key.ItemKey;
import org.sediment.common.wire.WireException;
import org.sediment.common.wire.WireFields;
import org.sediment.ssd.node.LogRecord;
import org.sediment.ssd.timeline.RequestMemory;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * The payload of one group-commit log record: a format byte, a tag, then the record's fields in
 * {@link PaxosCodec}'s layout (the acceptor state and voting fence are written exactly as peers
 * see them). The log already CRC-checks every record, so a decode failure here means version
 * skew or a bug, never a torn write: it fails loudly with {@link IllegalArgumentException}.
 */
public final class LogRecordCodec {

    /** Bumped when the layout changes, so a node never misreads a log written by another build. */
    public static final byte FORMAT_VERSION = 3;
    /** Applying a snapshot replaces every row of a timeline, so one update may be large. */
    public static final int MAX_ROW_CHANGES = 1 << 22;

    private static final int MIN_ROW_CHANGE_BYTES = 1 + 8;

    // Tags are part of the format: never renumber, only add.
    private static final int ACCEPTOR = 1;
    private static final int BALLOT_COUNTER = 2;
    private static final int APPLIED = 3;
    private static final int VOTING = 4;
    private static final int PUT = 1;
    private static final int DELETE = 2;
    private static final int DELETE_OLDER_THAN = 3;

    private LogRecordCodec() {
    }

    public static byte[] encode(LogRecord record) {
        // Sized up front: a growing buffer would copy each 1 KiB item three or four times.
        ByteBuf scratch = Unpooled.buffer(capacityHint(record));
        try {
            encodeInto(record, scratch);
            byte[] bytes = new byte[scratch.readableBytes()];
            scratch.readBytes(bytes);
            return bytes;
        } finally {
            scratch.release();
        }
    }

    /**
     * Encodes into {@code scratch} (cleared first), a buffer the caller keeps from record to
     * record: the core logs two records of about a value's size per write and hands the bytes
     * to the log, which copies them, so encoding allocates nothing.
     */
    public static void encodeInto(LogRecord record, ByteBuf scratch) {
        scratch.clear();
        scratch.ensureWritable(capacityHint(record));
        write(record, scratch);
    }

    private static void write(LogRecord record, ByteBuf out) {
        out.writeByte(FORMAT_VERSION);
        switch (record) {
            case LogRecord.Acceptor a -> {
                out.writeByte(ACCEPTOR);
                out.writeLong(a.timeline());
                out.writeLong(a.entry());
                PaxosCodec.writeAcceptorRecord(a.record(), out);
            }
            case LogRecord.BallotCounter b -> {
                out.writeByte(BALLOT_COUNTER);
                out.writeLong(b.reservedUpTo());
            }
            case LogRecord.Applied a -> {
                out.writeByte(APPLIED);
                writeUpdate(a.update(), out);
            }
            case LogRecord.Voting v -> {
                out.writeByte(VOTING);
                PaxosCodec.writeVotingFence(v.fence(), out);
            }
        }
    }

    /** At least the encoded size of nearly every record: fixed fields plus what the values take. */
    static int capacityHint(LogRecord record) {
        long bytes = 128;
        switch (record) {
            case LogRecord.Acceptor a -> {
                if (a.record().accepted() != null) {
                    bytes += a.record().accepted().payloadBytes() + 64L * a.record().accepted().ops().size();
                }
            }
            case LogRecord.Applied a -> {
                for (byte[] link : a.update().coldLinksAdded()) {
                    bytes += 8 + link.length;
                }
                bytes += (long) a.update().requestsAdded().size() * RequestMemory.ENTRY_BYTES;
                for (RowChange change : a.update().changes()) {
                    bytes += 8 + ItemKey.ENCODED_BYTES + (change instanceof RowChange.Put p ? p.value().length : 0);
                }
            }
            case LogRecord.BallotCounter b -> { }
            case LogRecord.Voting v -> bytes += 16L * v.fence().fenceEntryByTimeline().size();
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE - 8);
    }

    /** @throws IllegalArgumentException the bytes are not a record this build wrote */
    public static LogRecord decode(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            LogRecord record = read(in);
            if (in.isReadable()) {
                throw new IllegalArgumentException(
                        in.readableBytes() + " trailing bytes after " + record.getClass().getSimpleName());
            }
            return record;
        } catch (WireException e) {
            throw new IllegalArgumentException("corrupt log record: " + e.detail(), e);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("corrupt log record: truncated (" + bytes.length + " bytes)", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt log record: " + e.getMessage(), e);
        } finally {
            in.release();
        }
    }

    private static LogRecord read(ByteBuf in) {
        int format = in.readUnsignedByte();
        if (format != FORMAT_VERSION) {
            throw new IllegalArgumentException("format " + format + ", this build reads format " + FORMAT_VERSION);
        }
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case ACCEPTOR -> {
                long timeline = in.readLong();
                long entry = in.readLong();
                yield new LogRecord.Acceptor(timeline, entry, PaxosCodec.readAcceptorRecord(in));
            }
            case BALLOT_COUNTER -> new LogRecord.BallotCounter(in.readLong());
            case APPLIED -> new LogRecord.Applied(readUpdate(in));
            case VOTING -> new LogRecord.Voting(PaxosCodec.readVotingFence(in));
            default -> throw new IllegalArgumentException("unknown tag " + tag);
        };
    }

    private static void writeUpdate(TimelineUpdate update, ByteBuf out) {
        out.writeLong(update.timeline());
        out.writeLong(update.version());
        out.writeBoolean(update.replacesState());
        out.writeLong(update.written());
        PaxosCodec.writeColdLinks(update.coldLinksAdded(), out);
        PaxosCodec.writeRemembered(update.requestsAdded(), out);
        WireFields.writeCount(out, update.changes().size(), MAX_ROW_CHANGES, "row change");
        for (RowChange change : update.changes()) {
            switch (change) {
                case RowChange.Put p -> {
                    out.writeByte(PUT);
                    out.writeBytes(p.key().encode());
                    WireFields.writeBytes(out, p.value(), PaxosCodec.MAX_VALUE_BYTES);
                }
                case RowChange.Delete d -> {
                    out.writeByte(DELETE);
                    out.writeBytes(d.key().encode());
                }
                case RowChange.DeleteOlderThan d -> {
                    out.writeByte(DELETE_OLDER_THAN);
                    out.writeLong(d.beforeTs());
                }
            }
        }
    }

    private static TimelineUpdate readUpdate(ByteBuf in) {
        long timeline = in.readLong();
        long version = PaxosCodec.readVersion(in);
        boolean replaces = WireFields.readBoolean(in, "replaces state");
        long written = in.readLong();
        if (written < 0 || written > version) {
            throw new IllegalArgumentException("written entry " + written + " outside [0, " + version + "]");
        }
        List<byte[]> links = PaxosCodec.readColdLinks(in);
        List<RequestMemory.Remembered> remembered = PaxosCodec.readRemembered(in);
        int count = WireFields.readCount(in, MAX_ROW_CHANGES, MIN_ROW_CHANGE_BYTES, "row change");
        List<RowChange> changes = new ArrayList<>(count);
        byte[] key = new byte[ItemKey.ENCODED_BYTES];
        for (int i = 0; i < count; i++) {
            int tag = in.readUnsignedByte();
            changes.add(switch (tag) {
                case PUT -> new RowChange.Put(readKey(in, key), WireFields.readBytes(in, PaxosCodec.MAX_VALUE_BYTES));
                case DELETE -> new RowChange.Delete(readKey(in, key));
                case DELETE_OLDER_THAN -> new RowChange.DeleteOlderThan(timeline, in.readLong());
                default -> throw new IllegalArgumentException("unknown row change tag " + tag);
            });
        }
        return new TimelineUpdate(timeline, version, changes, links, remembered, replaces, written);
    }

    private static ItemKey readKey(ByteBuf in, byte[] scratch) {
        in.readBytes(scratch);
        return ItemKey.decode(scratch);
    }
}
