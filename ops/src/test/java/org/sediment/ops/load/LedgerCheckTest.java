package org.sediment.ops.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.ops.load.AppendLedger.Ack;
import org.sediment.ops.load.AppendLedger.AppendId;
import org.sediment.ops.load.LedgerCheck.Stored;
import org.sediment.ops.load.LedgerCheck.Tally;

/** The kill test's checks, shown to catch what they are there for: each fault planted once. */
class LedgerCheckTest {
    private static final long T1 = 7;
    private static final long T2 = 8;

    private final Ack intact = ack(T1, 100, 1, AppendLedger.encode(0, 0, T1));
    private final Ack dropped = ack(T1, 101, 1, AppendLedger.encode(0, 1, T1));
    private final Ack changed = ack(T2, 100, 1, AppendLedger.encode(1, 0, T2));
    private final Ack retried = ack(T2, 102, 1, AppendLedger.encode(1, 1, T2));
    private final Ack elsewhere = ack(T2, 103, 1, AppendLedger.encode(1, 2, T2));

    @Test
    void anAcknowledgedAppendIsMissingWhenAbsentChangedOrAtAnotherSeq() {
        byte[] flipped = changed.value().clone();
        flipped[40] ^= 1;
        List<Stored> stored = List.of(stored(intact), new Stored(T2, new TimelineItem(100, 1, flipped)), stored(retried),
                new Stored(T2, new TimelineItem(elsewhere.ts(), 2, elsewhere.value())));

        assertThat(LedgerCheck.missing(List.of(intact, dropped, changed, retried, elsewhere), stored))
                .containsExactly(dropped, changed, elsewhere);
    }

    @Test
    void theTallyCountsDuplicatesFailedButStoredAndForeignValues() {
        byte[] failedAppend = AppendLedger.encode(2, 0, T1);
        byte[] sentToT1 = AppendLedger.encode(0, 5, T1);
        byte[] flipped = changed.value().clone();
        flipped[40] ^= 1;
        List<Stored> stored = List.of(stored(intact), stored(retried),
                new Stored(T2, new TimelineItem(104, 1, retried.value())), // the retry's first attempt, chosen too
                new Stored(T1, new TimelineItem(105, 1, failedAppend)),
                new Stored(T2, new TimelineItem(106, 1, sentToT1)), // in the wrong timeline
                new Stored(T2, new TimelineItem(100, 1, flipped)));

        Tally tally = Tally.of(AppendLedger::decode, List.of(intact, retried), stored);

        assertThat(tally.duplicates()).isEqualTo(1);
        assertThat(tally.duplicatedAcks()).containsExactly(retried);
        assertThat(tally.failedButStored()).isEqualTo(1);
        assertThat(tally.foreign()).extracting(Stored::timeline).containsExactly(T2, T2);
    }

    @Test
    void aValueDecodesToItsAppendOnlyInItsOwnTimeline() {
        byte[] value = AppendLedger.encode(3, 42, T1);

        assertThat(AppendLedger.decode(T1, value)).isEqualTo(new AppendId(3, 42));
        assertThat(AppendLedger.decode(T2, value)).isNull();
        value[AppendLedger.VALUE_BYTES - 1] ^= 1;
        assertThat(AppendLedger.decode(T1, value)).isNull();
    }

    private static Ack ack(long timeline, long ts, int seq, byte[] value) {
        return new Ack(timeline, ts, seq, 1, value, 0);
    }

    private static Stored stored(Ack ack) {
        return new Stored(ack.timeline(), new TimelineItem(ack.ts(), ack.seq(), ack.value()));
    }
}
