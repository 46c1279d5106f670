package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.ReadMode;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.key.ItemKey;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.router.ssd.SsdGroupClient;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.storage.SegmentedStore;
import org.sediment.ssd.timeline.TestUpdates;

/**
 * A real 3-replica group on loopback: real Netty, real fsynced logs, real LevelDB. Writes are
 * PUTs of distinct keys, so a write retried on another replica is idempotent and "every
 * acknowledged write is readable" can be checked exactly.
 */
class SsdNodeGroupTest {
    private static final long CLIENT_TIMEOUT_MS = 5_000;
    /** Longer than any wait of a test here: a call with it never times out while the test runs. */
    private static final long NEVER_WITHIN_THE_TEST_MS = 600_000;
    /** How long the group may take to do what a test waits for, on a loaded 2-core machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int WRITES_PER_WRITER_PER_PHASE = 10;

    @TempDir
    Path dir;
    private EmbeddedSsdGroup group;
    private RpcClient rpc;
    private SsdGroupClient client;

    @BeforeEach
    void start() throws Exception {
        group = EmbeddedSsdGroup.start(7, 3, dir, c -> c);
        rpc = new RpcClient(RpcClientConfig.defaults(), SsdNode.registry());
        client = new SsdGroupClient(group.addresses(), rpc, 0, CLIENT_TIMEOUT_MS, 3, 100);
    }

    @AfterEach
    void stop() {
        rpc.close();
        group.close();
    }

    @Test
    void everyReplicaServesWhatAnyReplicaAcknowledged() {
        Map<Long, List<Long>> written = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            long timeline = 1 + i % 10;
            long ts = 1_700_000_000_000L + i;
            assertThat(client.write(put(timeline, ts, 0)).status()).isEqualTo(WriteStatus.OK);
            written.computeIfAbsent(timeline, t -> new ArrayList<>()).add(ts);
        }
        for (int replica = 0; replica < 3; replica++) {
            SsdGroupClient one = new SsdGroupClient(List.of(group.addresses().get(replica)), rpc, 0, CLIENT_TIMEOUT_MS, 1, 0);
            for (var e : written.entrySet()) {
                PageReply page = one.page(new PageRequest(e.getKey(), ReadMode.STRONG, true, 0, 0, 1000));
                assertThat(page.items()).extracting(TimelineItem::ts)
                        .containsExactlyElementsOf(e.getValue().reversed());
                assertThat(page.version()).isEqualTo(e.getValue().size());
            }
        }
    }

    @Test
    void appendsGetIncreasingSeqsAndCompareAndSetChecksTheVersion() {
        WriteReply first = client.write(new WriteRequest(42, WriteKind.APPEND, -1, 1000, 0, bytes("a")));
        WriteReply second = client.write(new WriteRequest(42, WriteKind.APPEND, -1, 1000, 0, bytes("b")));
        assertThat(Integer.toUnsignedLong(second.seq())).isGreaterThan(Integer.toUnsignedLong(first.seq()));
        WriteReply stale = client.write(new WriteRequest(42, WriteKind.PUT, first.version(), 2000, 0, bytes("c")));
        assertThat(stale.status()).isEqualTo(WriteStatus.VERSION_MISMATCH);
        // The failed check took an entry of its own; the reply names the version to retry with.
        assertThat(stale.actualVersion()).isGreaterThan(second.version());
        WriteReply cas = client.write(new WriteRequest(42, WriteKind.PUT, stale.actualVersion(), 2000, 0, bytes("c")));
        assertThat(cas.status()).isEqualTo(WriteStatus.OK);
        PageReply page = client.page(new PageRequest(42, ReadMode.STRONG, true, 0, 0, 10));
        assertThat(page.items()).extracting(i -> new String(i.value(), StandardCharsets.UTF_8)).containsExactly("c", "b", "a");
        PageReply older = client.page(new PageRequest(42, ReadMode.STRONG, false, 1000, second.seq(), 10));
        assertThat(older.items()).extracting(i -> new String(i.value(), StandardCharsets.UTF_8)).containsExactly("a");
    }

    @Test
    void aHardStoppedReplicaCostsWritersNothingButARetry() throws Exception {
        // The killed replica's connections drop, so a write in flight there fails at once and its
        // retry goes to the next replica. These writers' calls never time out within the test:
        // a write that waited for a timeout instead would stop its writer, and the waits below
        // for every writer to go on writing would fail.
        SsdGroupClient patient = new SsdGroupClient(group.addresses(), rpc, 0, NEVER_WITHIN_THE_TEST_MS, 3, 100);
        int writers = 16;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicLongArray acknowledgedPerWriter = new AtomicLongArray(writers);
        Map<Long, List<Long>> acknowledged = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                long timeline = 100 + w;
                threads.add(Thread.ofVirtual().start(() -> {
                    long ts = 1_700_000_000_000L;
                    while (running.get()) {
                        ts++;
                        try {
                            WriteReply reply = patient.write(put(timeline, ts, 0));
                            if (reply.status() == WriteStatus.OK) {
                                acknowledged.computeIfAbsent(timeline, t -> new ArrayList<>()).add(ts);
                                acknowledgedPerWriter.incrementAndGet(writer);
                            } else {
                                failures.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            awaitEveryWriterAcknowledges(acknowledgedPerWriter, WRITES_PER_WRITER_PER_PHASE, "before the kill");
            group.kill(1);
            awaitEveryWriterAcknowledges(acknowledgedPerWriter, WRITES_PER_WRITER_PER_PHASE, "while replica 1 is down");
            group.restart(1).awaitReady(30_000);
            awaitEveryWriterAcknowledges(acknowledgedPerWriter, WRITES_PER_WRITER_PER_PHASE, "after replica 1 restarted");
        } finally {
            running.set(false);
        }
        await("every writer's last write answered").atMost(PATIENCE).pollDelay(Duration.ZERO)
                .until(() -> threads.stream().noneMatch(Thread::isAlive));
        for (Thread t : threads) {
            t.join(); // returns at once; makes the writers' lists visible here
        }

        assertThat(failures).hasValue(0);
        long total = acknowledged.values().stream().mapToLong(List::size).sum();
        assertThat(total).isGreaterThanOrEqualTo(3L * writers * WRITES_PER_WRITER_PER_PHASE);
        for (var e : acknowledged.entrySet()) {
            assertThat(allItems(e.getKey())).extracting(TimelineItem::ts).containsAll(e.getValue());
        }
        // The restarted replica catches up: its own applied state converges to the others'.
        awaitSameLocalPages(acknowledged.keySet());
    }

    /** Waits until each writer has had {@code more} writes acknowledged since the call. */
    private static void awaitEveryWriterAcknowledges(AtomicLongArray perWriter, long more, String phase) {
        long[] target = new long[perWriter.length()];
        for (int w = 0; w < target.length; w++) {
            target[w] = perWriter.get(w) + more;
        }
        await("every writer has " + more + " more writes acknowledged " + phase).atMost(PATIENCE)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> IntStream.range(0, target.length).allMatch(w -> perWriter.get(w) >= target[w]));
    }

    @Test
    void aReplicaWhoseDiskWasWipedRelearnsEverythingBeforeItVotes() throws Exception {
        for (int i = 0; i < 200; i++) {
            client.write(put(1 + i % 20, 1_000_000 + i, 0));
        }
        group.kill(2);
        SsdNode wiped = group.restartWiped(2).awaitReady(30_000);
        assertThat(wiped.health().lostDiskAtStart()).isTrue();
        awaitVoting(wiped, Duration.ofSeconds(30));
        // Before it voted, it checked every timeline it relearned against the peers' digests.
        assertThat(wiped.health().digestAudit()).isEqualTo(new DigestAudit.Result(DigestAudit.State.DONE, 20, 0, 0));
        List<Long> timelines = new ArrayList<>();
        for (long t = 1; t <= 20; t++) {
            timelines.add(t);
        }
        awaitSameLocalPages(timelines);
        // And it takes writes again.
        SsdGroupClient onlyWiped = new SsdGroupClient(List.of(group.addresses().get(2)), rpc, 0, CLIENT_TIMEOUT_MS, 1, 0);
        assertThat(onlyWiped.write(put(5, 9_000_000, 0)).status()).isEqualTo(WriteStatus.OK);
    }

    @Test
    void aWipedReplicaRestartingWithItsGroupWaitsForThePeersToRecoverTheirState() throws Exception {
        for (int i = 0; i < 300; i++) {
            client.write(put(1 + i % 30, 3_000_000 + i, 0));
        }
        for (int i = 0; i < 3; i++) {
            group.kill(i);
        }
        // The wiped replica starts first: while its peers are down and then recovering, it must
        // not take them for a new group, or it would vote again on entries it has forgotten.
        SsdNode wiped = group.restartWiped(2);
        group.restart(0);
        group.restart(1);
        wiped.awaitReady(30_000);
        assertThat(wiped.health().lostDiskAtStart()).isTrue();
        for (int i = 0; i < 2; i++) {
            group.node(i).awaitReady(30_000);
        }
        awaitVoting(wiped, Duration.ofSeconds(30));
        List<Long> timelines = new ArrayList<>();
        for (long t = 1; t <= 30; t++) {
            timelines.add(t);
        }
        awaitSameLocalPages(timelines);
    }

    @Test
    void aWipedReplicaRelearnsATimelineLargerThanAFrameBySnapshotParts() throws Exception {
        // 10 MiB in one timeline: more than a peer frame (8 MiB) and than the tails keep (8 MiB),
        // so the wiped replica can only relearn it from a snapshot, sent in parts.
        byte[] value = new byte[64 << 10];
        for (int i = 0; i < 160; i++) {
            value[0] = (byte) i;
            assertThat(client.write(new WriteRequest(7, WriteKind.PUT, -1, 6_000 + i, 0, value)).status())
                    .isEqualTo(WriteStatus.OK);
        }
        group.kill(2);
        SsdNode wiped = group.restartWiped(2).awaitReady(30_000);
        assertThat(wiped.health().lostDiskAtStart()).isTrue();
        client.write(put(7, 9_999, 0)); // the accept to the learner shows it how far behind it is
        awaitVoting(wiped, Duration.ofSeconds(60));
        awaitSameLocalPages(List.of(7L));
    }

    @Test
    void aDigestAuditFindsARowThatDiffersFromThePeersAtTheSameVersion() throws Exception {
        for (int i = 0; i < 60; i++) {
            client.write(put(1 + i % 6, 2_000 + i, 0));
        }
        awaitSameLocalPages(List.of(1L, 2L, 3L, 4L, 5L, 6L));
        assertThat(group.node(0).auditDigests()).isEqualTo(new DigestAudit.Result(DigestAudit.State.DONE, 6, 0, 0));
        // Replica 1's disk silently changes one value of timeline 4; its version stays.
        SegmentedStore store = group.node(1).store();
        store.apply(List.of(TestUpdates.keeping(4, store.state(4),
                List.of(new RowChange.Put(new ItemKey(4, 2_003, 0), bytes("bit rot"))))));
        assertThat(group.node(0).auditDigests()).isEqualTo(new DigestAudit.Result(DigestAudit.State.DONE, 5, 1, 0));
        assertThat(group.node(0).health().digestAudit().mismatched()).isEqualTo(1);
    }

    @Test
    void theWholeGroupRestartsWithEveryAcknowledgedWrite() throws Exception {
        for (int i = 0; i < 100; i++) {
            client.write(put(3, 5_000 + i, 0));
        }
        group.node(0).checkpoint(); // some of it from a checkpoint, the rest replayed from the log
        for (int i = 100; i < 200; i++) {
            client.write(put(3, 5_000 + i, 0));
        }
        for (int i = 0; i < 3; i++) {
            group.kill(i);
        }
        for (int i = 0; i < 3; i++) {
            group.restart(i);
        }
        for (int i = 0; i < 3; i++) {
            group.node(i).awaitReady(30_000);
        }
        PageReply page = client.page(new PageRequest(3, ReadMode.STRONG, true, 0, 0, 1000));
        assertThat(page.items()).hasSize(200);
        assertThat(page.version()).isEqualTo(200);
    }

    /** Every item of a timeline, newest first, page by page (strong reads). */
    private List<TimelineItem> allItems(long timeline) {
        List<TimelineItem> items = new ArrayList<>();
        PageReply page = client.page(new PageRequest(timeline, ReadMode.STRONG, true, 0, 0, 500));
        while (true) {
            items.addAll(page.items());
            if (page.items().size() < 500) {
                return items;
            }
            TimelineItem last = page.items().getLast();
            page = client.page(new PageRequest(timeline, ReadMode.STRONG, false, last.ts(), last.seq(), 500));
        }
    }

    /** Waits until the relearning replica votes again: it has caught up and checked what it relearned. */
    private static void awaitVoting(SsdNode node, Duration patience) {
        await("the wiped replica votes again").atMost(patience).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).until(node::mode, mode -> mode == SsdNode.Mode.VOTING);
    }

    private void awaitSameLocalPages(Iterable<Long> timelines) {
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(localDifferences(timelines))
                        .as("replicas whose local state differs").isEmpty());
    }

    /** Timelines whose local pages (no consensus read) differ between the replicas, with their sizes. */
    private List<String> localDifferences(Iterable<Long> timelines) {
        List<String> differences = new ArrayList<>();
        for (long timeline : timelines) {
            List<List<Long>> perReplica = new ArrayList<>();
            for (int replica = 0; replica < 3; replica++) {
                SsdGroupClient one = new SsdGroupClient(List.of(group.addresses().get(replica)), rpc, 0,
                        CLIENT_TIMEOUT_MS, 1, 0);
                perReplica.add(one.page(new PageRequest(timeline, ReadMode.LOCAL, true, 0, 0, 1000)).items()
                        .stream().map(TimelineItem::ts).toList());
            }
            if (!perReplica.get(0).equals(perReplica.get(1)) || !perReplica.get(0).equals(perReplica.get(2))) {
                differences.add("timeline " + timeline + ": " + perReplica.stream().map(List::size).toList());
            }
        }
        return differences;
    }

    private static WriteRequest put(long timeline, long ts, int seq) {
        return new WriteRequest(timeline, WriteKind.PUT, -1, ts, seq, bytes("v" + ts));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
