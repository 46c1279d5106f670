package org.sediment.ssd.node.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.sediment.ssd.node.wire.CodecAssertions.assertSameRecord;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.key.ItemKey;
import org.sediment.ssd.node.LogRecord;
import org.sediment.ssd.paxos.AcceptorRecord;
import org.sediment.ssd.paxos.VotingFence;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TestUpdates;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * Log records survive encode and decode to the same bytes; anything else (truncated, mutated,
 * another format) is an {@link IllegalArgumentException} that says the record is corrupt.
 */
@ExtendWith(CodecSeeds.class)
@Timeout(60)
class LogRecordCodecTest {

    @Test
    void everyRecordKindSurvivesARoundTripToTheSameBytes() {
        RandomPaxosValues values = new RandomPaxosValues(new SplittableRandom(CodecSeeds.seed()), 300, 30);
        for (int kind = 0; kind < RandomPaxosValues.LOG_RECORD_KINDS; kind++) {
            for (int i = 0; i < 300; i++) {
                LogRecord record = values.logRecord(kind);
                byte[] bytes = LogRecordCodec.encode(record);
                assertThat(bytes[0]).isEqualTo(LogRecordCodec.FORMAT_VERSION);
                LogRecord decoded = LogRecordCodec.decode(bytes);
                assertSameRecord(decoded, record);
                assertThat(LogRecordCodec.encode(decoded)).isEqualTo(bytes);
            }
        }
        for (LogRecord edge : List.of(new LogRecord.Voting(VotingFence.NONE),
                new LogRecord.Acceptor(-1, Long.MAX_VALUE, AcceptorRecord.EMPTY),
                new LogRecord.Applied(TestUpdates.at(7, 1, List.of())))) {
            assertSameRecord(LogRecordCodec.decode(LogRecordCodec.encode(edge)), edge);
        }
    }

    @Test
    void theCapacityHintCoversTheEncodedRecordSoEncodingNeverRegrowsItsBuffer() {
        RandomPaxosValues values = new RandomPaxosValues(new SplittableRandom(CodecSeeds.seed()), 2_000, 64);
        for (int kind = 0; kind < RandomPaxosValues.LOG_RECORD_KINDS; kind++) {
            for (int i = 0; i < 300; i++) {
                LogRecord record = values.logRecord(kind);
                assertThat(LogRecordCodec.capacityHint(record)).as("%s", record)
                        .isGreaterThanOrEqualTo(LogRecordCodec.encode(record).length);
            }
        }
    }

    @Test
    void aReusedScratchBufferEncodesEveryRecordAsAFreshOneDoes() {
        RandomPaxosValues values = new RandomPaxosValues(new SplittableRandom(CodecSeeds.seed()), 2_000, 64);
        ByteBuf scratch = Unpooled.buffer(16);
        try {
            for (int i = 0; i < 2_000; i++) {
                LogRecord record = values.logRecord(); // large and small kinds mixed: leftovers would show
                LogRecordCodec.encodeInto(record, scratch);
                assertThat(ByteBufUtil.getBytes(scratch)).isEqualTo(LogRecordCodec.encode(record));
            }
        } finally {
            scratch.release();
        }
    }

    @Test
    void everyTruncationIsACorruptRecord() {
        RandomPaxosValues values = new RandomPaxosValues(new SplittableRandom(CodecSeeds.seed()), 10, 3);
        for (int kind = 0; kind < RandomPaxosValues.LOG_RECORD_KINDS; kind++) {
            for (int i = 0; i < 20; i++) {
                byte[] bytes = LogRecordCodec.encode(values.logRecord(kind));
                for (int cut = 0; cut < bytes.length; cut++) {
                    byte[] truncated = Arrays.copyOf(bytes, cut);
                    assertThatIllegalArgumentException().as("kind %d cut at %d of %d", kind, cut, bytes.length)
                            .isThrownBy(() -> LogRecordCodec.decode(truncated))
                            .withMessageStartingWith("corrupt log record: ");
                }
            }
        }
    }

    @Test
    void mutatedRecordsDecodeOrAreCorrupt() {
        SplittableRandom random = new SplittableRandom(CodecSeeds.seed());
        RandomPaxosValues values = new RandomPaxosValues(random, 30, 4);
        int decoded = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] bytes = LogRecordCodec.encode(values.logRecord());
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int at = random.nextInt(bytes.length);
                bytes[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (bytes[at] ^ 0x80);
            }
            try {
                LogRecordCodec.decode(bytes);
                decoded++;
            } catch (IllegalArgumentException e) {
                assertThat(e).hasMessageStartingWith("corrupt log record: ");
            }
        }
        assertThat(decoded).isPositive();
    }

    @Test
    void otherFormatsTagsAndTrailingBytesAreCorruptRecords() {
        byte[] good = LogRecordCodec.encode(new LogRecord.BallotCounter(77));
        byte[] otherFormat = good.clone();
        otherFormat[0] = 2;
        assertThatIllegalArgumentException().isThrownBy(() -> LogRecordCodec.decode(otherFormat))
                .withMessage("corrupt log record: format 2, this build reads format 3");
        byte[] otherTag = good.clone();
        otherTag[1] = 99;
        assertThatIllegalArgumentException().isThrownBy(() -> LogRecordCodec.decode(otherTag))
                .withMessage("corrupt log record: unknown tag 99");
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertThatIllegalArgumentException().isThrownBy(() -> LogRecordCodec.decode(trailing))
                .withMessage("corrupt log record: 3 trailing bytes after BallotCounter");
        assertThatIllegalArgumentException().isThrownBy(() -> LogRecordCodec.decode(new byte[0]))
                .withMessage("corrupt log record: truncated (0 bytes)");
    }

    @Test
    void aRowOfAnotherTimelineOrAKeyOutOfRangeIsACorruptRecord() {
        ItemKey key = new ItemKey(7, 1_000, 3);
        byte[] bytes = LogRecordCodec.encode(new LogRecord.Applied(new TimelineUpdate(7, 4,
                List.of(new RowChange.Delete(key)), List.of(), List.of(), false)));
        // Layout: format, tag, timeline, version, replaces, written, link count, request count, change count,
        // change tag, key.
        int timelineAt = 2;
        int keyAt = 2 + 8 + 8 + 1 + 8 + 4 + 4 + 4 + 1;
        byte[] otherTimeline = bytes.clone();
        ByteBuffer.wrap(otherTimeline).putLong(timelineAt, 8);
        assertThatIllegalArgumentException().isThrownBy(() -> LogRecordCodec.decode(otherTimeline))
                .withMessageStartingWith("corrupt log record: a change of timeline 7 in an update of timeline 8");
        byte[] tsOutOfRange = bytes.clone();
        ByteBuffer.wrap(tsOutOfRange).putLong(keyAt + 8, ~(ItemKey.MAX_TS + 1));
        assertThatIllegalArgumentException().isThrownBy(() -> LogRecordCodec.decode(tsOutOfRange))
                .withMessageContaining("out of range");
        byte[] negativeVersion = bytes.clone();
        ByteBuffer.wrap(negativeVersion).putLong(timelineAt + 8, -1);
        assertThatIllegalArgumentException().isThrownBy(() -> LogRecordCodec.decode(negativeVersion))
                .withMessage("corrupt log record: version -1 is negative");
    }
}
