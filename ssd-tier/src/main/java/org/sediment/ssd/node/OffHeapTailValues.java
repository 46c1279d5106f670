package org.sediment.ssd.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.sediment.ssd.node.wire.PaxosCodec;
import org.sediment.ssd.paxos.Proposal;
import org.sediment.ssd.paxos.TailValues;

/**
 * A node's catch-up tail values, encoded in a ring of memory outside the Java heap.
 *
 * <p>Kept on the heap, a node's tails (8 MiB of 1 KiB values, about a second of appends under
 * load) were alive at every young collection, which copied them to a survivor space and, when
 * they lasted, again into the old generation: in the load test, a 1 MiB budget instead of 8
 * cut the bytes surviving each collection from 32-48 MB to 10-24 MB. Here they cost the
 * collector nothing, and a value is decoded again only when a peer catches up or a late
 * proposer asks for it.
 *
 * <p>Records are {@code [length int][encoded proposal]}, written at the head and forgotten from
 * the tail. A record that would cross the end of the ring starts again at its beginning; the
 * bytes skipped count as part of that record, and a length of {@link #SKIP} marks them when
 * there is room for one. Handles are the absolute positions records were written at, so
 * positions only grow and a handle never names two records. The replica forgets the oldest
 * records whenever {@link #bytesKept()} passes its budget, so the ring holds at most the budget
 * plus two of the largest records it accepts ({@link #maxRecordBytes}), and a write never
 * reaches a record still kept.
 *
 * <p>The core's thread only.
 */
public final class OffHeapTailValues implements TailValues {

    private static final int SKIP = -1;
    private static final int LENGTH_BYTES = Integer.BYTES;
    /** Larger values are not kept: a peer that needs one gets a snapshot. */
    private static final int MAX_RECORD_BYTES = 1 << 20;

    private final ByteBuffer ring;
    private final int maxRecordBytes;
    private final ByteBuf scratch = Unpooled.buffer(4096);
    /** Where the next record goes and where the oldest kept one starts, as absolute positions. */
    private long head;
    private long tail;

    public OffHeapTailValues(long budgetBytes) {
        this.maxRecordBytes = (int) Math.min(MAX_RECORD_BYTES, budgetBytes);
        long capacity = budgetBytes + 2L * maxRecordBytes;
        if (capacity > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tail budget of " + budgetBytes + " bytes does not fit one buffer");
        }
        this.ring = ByteBuffer.allocateDirect((int) Math.max(capacity, LENGTH_BYTES));
    }

    @Override
    public long keep(Proposal value) {
        if (value.payloadBytes() >= maxRecordBytes) {
            return NOT_KEPT; // the encoding is larger still: do not encode it, nor grow the scratch buffer for it
        }
        scratch.clear();
        PaxosCodec.writeProposal(value, scratch);
        int length = scratch.readableBytes();
        int recordBytes = LENGTH_BYTES + length;
        if (recordBytes > maxRecordBytes) {
            return NOT_KEPT;
        }
        int at = offset(head);
        int room = ring.capacity() - at;
        if (room < recordBytes) {
            if (room >= LENGTH_BYTES) {
                ring.putInt(at, SKIP);
            }
            head += room;
            at = 0;
        }
        if (head + recordBytes - tail > ring.capacity()) {
            throw new IllegalStateException("tail ring overrun: " + bytesKept() + " bytes kept of "
                    + ring.capacity() + "; the replica must forget past its budget");
        }
        ring.putInt(at, length);
        ring.put(at + LENGTH_BYTES, scratch.array(), scratch.arrayOffset() + scratch.readerIndex(), length);
        long handle = head;
        head += recordBytes;
        return handle;
    }

    @Override
    public Proposal get(long handle) {
        if (handle < tail || handle >= head) {
            throw new IllegalArgumentException("no value kept under handle " + handle + " (kept: " + tail + ".." + head + ")");
        }
        int at = offset(handle);
        int length = ring.getInt(at);
        return PaxosCodec.readProposal(Unpooled.wrappedBuffer(ring.slice(at + LENGTH_BYTES, length)));
    }

    @Override
    public void forgetOldest() {
        if (tail == head) {
            return;
        }
        int at = offset(tail);
        int room = ring.capacity() - at;
        if (room < LENGTH_BYTES || ring.getInt(at) == SKIP) {
            tail += room;
            at = 0;
        }
        tail += LENGTH_BYTES + ring.getInt(at);
    }

    @Override
    public long bytesKept() {
        return head - tail;
    }

    private int offset(long position) {
        return (int) (position % ring.capacity());
    }
}
