package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.time.ManualClock;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.Proposal;
import org.sediment.ssd.paxos.TimelineMachine;
import org.sediment.ssd.paxos.TimelineSnapshot;
import org.sediment.ssd.storage.SegmentPolicy;
import org.sediment.ssd.storage.SegmentedStore;
import org.sediment.ssd.timeline.TimelineUpdate;
import org.sediment.ssd.version.VersionCache;

class LsmAppliedStateTest {
    private static final long T = 77;

    @TempDir
    Path dir;

    @Test
    void appliesOperationsAsExactRowsSoReplayingAnEntryChangesNothing() {
        try (Fixture f = new Fixture(dir.resolve("a"))) {
            List<OpOutcome> first = f.apply(T, 1, proposal(append(1, 500, "a"), append(2, 500, "b")));
            assertThat(first).containsExactly(new OpOutcome.Appended(TimelineMachine.appendSeq(1, 0), 1),
                    new OpOutcome.Appended(TimelineMachine.appendSeq(1, 1), 1));
            TimelineUpdate logged = f.written.getLast();
            assertThat(logged.version()).isEqualTo(1);

            f.store.apply(List.of(logged)); // a replay after a crash writes the same keys again
            assertThat(f.state.read(T, 10).newestItems()).extracting(Item::value)
                    .containsExactly("b".getBytes(), "a".getBytes());
            assertThat(f.state.version(T)).isEqualTo(1);
        }
    }

    @Test
    void aTurnsAppliedRowsReachTheStoreTogetherWithTheirVersionsAtFlush() {
        try (Fixture f = new Fixture(dir.resolve("a"))) {
            f.apply(T, 1, proposal(append(1, 100, "a")));
            f.apply(T, 2, proposal(append(2, 200, "b")));
            f.apply(T + 1, 1, proposal(append(3, 300, "c")));

            // The core sees its own applies; request threads, reading the store, see neither rows nor versions.
            assertThat(f.state.version(T)).isEqualTo(2);
            assertThat(f.store.appliedIndex(T)).isZero();
            assertThat(f.store.page(T, null, 10)).isEmpty();

            f.state.flush();
            assertThat(f.store.appliedIndex(T)).isEqualTo(2);
            assertThat(f.store.appliedIndex(T + 1)).isEqualTo(1);
            assertThat(f.store.page(T, null, 10)).extracting(stored -> new String(stored.value()))
                    .containsExactly("b", "a");
        }
    }

    @Test
    void aReadOnTheCoreFlushesFirst() {
        try (Fixture f = new Fixture(dir.resolve("a"))) {
            f.apply(T, 1, proposal(append(1, 100, "a")));
            OpOutcome.ReadDone read = f.state.read(T, 10);
            assertThat(read.version()).isEqualTo(1);
            assertThat(read.newestItems()).extracting(Item::value).containsExactly("a".getBytes());
            assertThat(f.store.appliedIndex(T)).isEqualTo(1);
        }
    }

    @Test
    void conditionalOperationsCheckTheVersionBeforeTheirEntry() {
        try (Fixture f = new Fixture(dir.resolve("a"))) {
            f.apply(T, 1, proposal(append(1, 10, "x")));
            List<OpOutcome> stale = f.apply(T, 2, proposal(new Operation.Put(2, 0, 20, 0, "y".getBytes())));
            assertThat(stale).containsExactly(new OpOutcome.VersionMismatch(0, 1, 2));
            List<OpOutcome> fresh = f.apply(T, 3, proposal(new Operation.Put(3, 2, 20, 0, "y".getBytes())));
            assertThat(fresh).containsExactly(new OpOutcome.Written(3));
            assertThat(f.state.read(T, 10).newestItems()).hasSize(2);
        }
    }

    @Test
    void aColdLinkReplacesTheItemsOlderThanItsBoundary() {
        try (Fixture f = new Fixture(dir.resolve("a"))) {
            for (int i = 0; i < 10; i++) {
                f.apply(T, i + 1, proposal(append(i, 1_000 + i, "v" + i)));
            }
            byte[] link = new org.sediment.common.block.ColdLink(1, 0, 7, 0, 100, 0, 1, 0, 1_004).encode();
            f.apply(T, 11, proposal(new Operation.CommitColdLink(99, Operation.UNCONDITIONAL, 1_005, link)));
            assertThat(f.state.read(T, 100).newestItems()).extracting(Item::ts)
                    .containsExactly(1_009L, 1_008L, 1_007L, 1_006L, 1_005L);
            assertThat(f.store.state(T).coldLinks()).containsExactly(link);
        }
    }

    @Test
    void aSnapshotInstalledElsewhereReproducesTheTimeline() {
        try (Fixture source = new Fixture(dir.resolve("a")); Fixture target = new Fixture(dir.resolve("b"))) {
            for (int i = 0; i < 30; i++) {
                source.apply(T, i + 1, proposal(append(i, 2_000 + i % 7, "v" + i)));
            }
            target.apply(T, 1, proposal(append(100, 5, "stale, must go")));
            TimelineSnapshot snapshot = source.state.snapshot(T);
            target.state.write(TimelineMachine.install(snapshot));
            assertThat(target.state.snapshot(T).items()).isEqualTo(snapshot.items());
            assertThat(target.state.version(T)).isEqualTo(30);
        }
    }

    @Test
    void theVersionCacheLearnsAVersionOnlyOnceItIsDurableAndCurrent() {
        try (Fixture f = new Fixture(dir.resolve("a"))) {
            f.apply(T, 1, proposal(append(1, 1, "a")));
            f.apply(T, 2, proposal(append(2, 2, "b")));
            f.state.versionDurable(T, 1); // an older record turned durable after a newer apply
            assertThat(f.cache.get(T)).isEqualTo(VersionCache.MISSING);
            f.state.versionDurable(T, 2);
            assertThat(f.cache.get(T)).isEqualTo(2);
        }
    }

    private static Proposal proposal(Operation... ops) {
        return new Proposal(0, 1, 1, List.of(ops));
    }

    private static Operation.Append append(long opId, long ts, String value) {
        return new Operation.Append(opId, Operation.UNCONDITIONAL, ts, value.getBytes());
    }

    private static final class Fixture implements AutoCloseable {
        final SegmentedStore store;
        final VersionCache cache;
        final LsmAppliedState state;
        final List<TimelineUpdate> written = new java.util.ArrayList<>();

        Fixture(Path dir) {
            store = SegmentedStore.open(dir.resolve("store"), SegmentPolicy.weekly(), new ManualClock(0));
            cache = VersionCache.open(dir.resolve("versions.bin"), 4096, UUID.randomUUID());
            state = new LsmAppliedState(store, cache);
        }

        /** What the core does with a chosen entry: the machine decides, the applied state stores. */
        List<OpOutcome> apply(long timeline, long entry, Proposal proposal) {
            TimelineMachine.Applied applied = TimelineMachine.apply(timeline, state.state(timeline), entry, proposal);
            state.write(applied.update());
            written.add(applied.update());
            return applied.outcomes();
        }

        @Override
        public void close() {
            store.close();
            cache.close();
        }
    }
}
