package org.sediment.ssd.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.sediment.ssd.timeline.RequestMemory;
import org.sediment.ssd.timeline.TimelineState;
import org.junit.jupiter.api.Test;

class SnapshotPartsTest {
    private static final long TL = 5;

    private static TimelineSnapshot snapshot(long version, int items) {
        List<Item> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(new Item(1_000 + i, i, new byte[100]));
        }
        return new TimelineSnapshot(TL, new TimelineState(version, List.of(new byte[] {9}), RequestMemory.EMPTY), list);
    }

    private static List<PaxosMessage.SnapshotReply> replies(TimelineSnapshot snapshot, int from) {
        List<TimelineSnapshot> parts = SnapshotParts.split(snapshot, 1024);
        List<PaxosMessage.SnapshotReply> replies = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            replies.add(new PaxosMessage.SnapshotReply(TL, from, 2, snapshot.version(), parts.get(i), i, parts.size()));
        }
        return replies;
    }

    @Test
    void splitsByBytesAndPutsPartsTogetherInAnyOrderFromAnySenderOfTheVersion() {
        TimelineSnapshot whole = snapshot(7, 40);
        List<PaxosMessage.SnapshotReply> fromOne = replies(whole, 0);
        List<PaxosMessage.SnapshotReply> fromOther = replies(whole, 1);
        assertThat(fromOne).hasSizeGreaterThan(4);
        assertThat(fromOne.get(0).snapshot().coldLinks()).hasSize(1);
        assertThat(fromOne.get(1).snapshot().coldLinks()).isEmpty();

        SnapshotParts parts = new SnapshotParts();
        TimelineSnapshot assembled = null;
        for (int i = fromOne.size() - 1; i >= 0; i--) { // newest part first, alternating senders, each twice
            PaxosMessage.SnapshotReply reply = (i % 2 == 0 ? fromOne : fromOther).get(i);
            assertThat(assembled).isNull();
            if (i > 0) {
                assertThat(parts.offer(reply)).isNull();
                assertThat(parts.offer(reply)).isNull();
            } else {
                assembled = parts.offer(reply);
            }
        }
        assertThat(assembled).isNotNull();
        assertThat(assembled.version()).isEqualTo(7);
        assertThat(assembled.items()).extracting(Item::seq).isEqualTo(whole.items().stream().map(Item::seq).toList());
        assertThat(assembled.coldLinks()).hasSize(1);
        assertThat(parts.pending()).isZero();
    }

    @Test
    void aNewerSnapshotStartsOverAndPartsOfAnOlderOneAreDropped() {
        List<PaxosMessage.SnapshotReply> older = replies(snapshot(7, 40), 0);
        List<PaxosMessage.SnapshotReply> newer = replies(snapshot(8, 41), 1);
        SnapshotParts parts = new SnapshotParts();
        assertThat(parts.offer(older.get(0))).isNull();
        assertThat(parts.offer(newer.get(0))).isNull();
        for (int i = 1; i < older.size(); i++) {
            assertThat(parts.offer(older.get(i))).as("part %d of version 7", i).isNull();
        }
        TimelineSnapshot assembled = null;
        for (int i = 1; i < newer.size(); i++) {
            assembled = parts.offer(newer.get(i));
        }
        assertThat(assembled).isNotNull();
        assertThat(assembled.version()).isEqualTo(8);
        assertThat(assembled.items()).hasSize(41);
    }

    @Test
    void aSnapshotThatFitsOnePartIsItself() {
        TimelineSnapshot small = snapshot(3, 2);
        assertThat(SnapshotParts.split(small, 1024)).containsExactly(small);
        assertThat(new SnapshotParts().offer(new PaxosMessage.SnapshotReply(TL, 0, 2, 3, small, 0, 1))).isSameAs(small);
    }
}
