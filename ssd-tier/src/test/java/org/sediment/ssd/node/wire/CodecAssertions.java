package org.sediment.ssd.node.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.sediment.common.wire.WireException;
import org.sediment.ssd.node.LogRecord;
import org.sediment.ssd.paxos.PaxosMessage;
import org.sediment.ssd.paxos.TimelineSnapshot;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * Encoding helpers and field-wise comparisons for records that hold {@code byte[]} lists
 * (snapshots, timeline states, row changes), whose generated {@code equals} compares array
 * references.
 */
final class CodecAssertions {

    private CodecAssertions() {
    }

    static <T> byte[] encode(BiConsumer<T, ByteBuf> writer, T value) {
        ByteBuf out = Unpooled.buffer();
        try {
            writer.accept(value, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    /** Decodes all of {@code bytes}; fails the test if anything is left over. */
    static <T> T decode(Function<ByteBuf, T> reader, byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            T value = reader.apply(in);
            assertThat(in.readableBytes()).as("bytes left after decoding").isZero();
            return value;
        } finally {
            in.release();
        }
    }

    /**
     * True if {@code bytes} decode to a value that uses them all; false if the decoder rejected
     * them the way a frame codec may (bad body, bad argument, too short). Any other exception (a
     * bug, an assertion inside a record) escapes and fails the test.
     */
    static <T> boolean decodesOrIsRejected(Function<ByteBuf, T> reader, byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            reader.apply(in);
            return !in.isReadable();
        } catch (WireException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return false;
        } finally {
            in.release();
        }
    }

    static void assertSameMessage(PaxosMessage actual, PaxosMessage expected) {
        if (expected instanceof PaxosMessage.SnapshotReply e && actual instanceof PaxosMessage.SnapshotReply a) {
            assertThat(List.of(a.timeline(), a.from(), a.to(), a.senderCommitted()))
                    .isEqualTo(List.of(e.timeline(), e.from(), e.to(), e.senderCommitted()));
            assertSameSnapshot(a.snapshot(), e.snapshot());
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    static void assertSameSnapshot(TimelineSnapshot actual, TimelineSnapshot expected) {
        assertThat(actual.timeline()).isEqualTo(expected.timeline());
        assertThat(actual.version()).isEqualTo(expected.version());
        assertThat(actual.items()).isEqualTo(expected.items()); // Item compares by content
        assertSameBytes(actual.coldLinks(), expected.coldLinks());
    }

    static void assertSameRecord(LogRecord actual, LogRecord expected) {
        if (expected instanceof LogRecord.Applied e && actual instanceof LogRecord.Applied a) {
            assertSameUpdate(a.update(), e.update());
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    static void assertSameUpdate(TimelineUpdate actual, TimelineUpdate expected) {
        assertThat(actual.timeline()).isEqualTo(expected.timeline());
        assertThat(actual.version()).isEqualTo(expected.version());
        assertThat(actual.replacesState()).isEqualTo(expected.replacesState());
        assertSameBytes(actual.coldLinksAdded(), expected.coldLinksAdded());
        assertThat(actual.requestsAdded()).isEqualTo(expected.requestsAdded());
        assertThat(actual.changes()).hasSameSizeAs(expected.changes());
        for (int i = 0; i < expected.changes().size(); i++) {
            RowChange a = actual.changes().get(i);
            RowChange e = expected.changes().get(i);
            assertThat(a.getClass()).isEqualTo(e.getClass());
            if (e instanceof RowChange.Put put) {
                assertThat(((RowChange.Put) a).key()).isEqualTo(put.key());
                assertThat(((RowChange.Put) a).value()).isEqualTo(put.value());
            } else {
                assertThat(a).isEqualTo(e);
            }
        }
    }

    static void assertSameBytes(List<byte[]> actual, List<byte[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("element %d", i).isEqualTo(expected.get(i));
        }
    }
}
