package org.sediment.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.memory.node.MemoryNode;
import org.sediment.memory.node.MemoryNodeConfig;
import org.sediment.memory.node.MemoryNodeStats;
import org.sediment.router.client.Item;
import org.sediment.router.client.Page;
import org.sediment.router.client.RouteSource;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.client.Written;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigParser;
import org.sediment.router.config.RouteConfigWatcher;
import org.sediment.router.config.RouteConfigWriter;
import org.sediment.router.config.Tier;

/**
 * Reads through the memory tier, with writers appending all along, against a history checker:
 * no page may miss an append acknowledged before the read began, and every page must be exactly
 * the newest items at the version it reports. With the version check switched off the same run
 * serves stale pages, which shows the check is what keeps the cache honest. A memory node
 * closed mid-run fails no read.
 */
class MemoryTierTest {
    private static final int TIMELINES = 4;
    private static final int LIMIT = 20;

    @TempDir
    Path dir;

    private record Ack(long version, long ackedAtNanos, Item item) {
    }

    private record Read(long timeline, long startedAtNanos, Page page) {
    }

    @Test
    void readsThroughTheMemoryTierNeverMissAnAcknowledgedAppendAndSurviveALostNode() throws Exception {
        Run run = run(true, true);
        assertThat(run.failedReads).as("reads that failed, one memory node closed mid-run").isZero();
        assertThat(run.violations).as("reads that missed an acknowledged append or were not the page at their version")
                .isEmpty();
        assertThat(run.servedFromCache).as("reads answered from the cache after a valid version check").isPositive();
        assertThat(run.reads).isGreaterThan(200);
    }

    @Test
    void withoutTheVersionCheckTheSameReadsGoStale() throws Exception {
        Run run = run(false, false);
        assertThat(run.violations).as("the checker catches what the version check prevents").isNotEmpty();
    }

    private static final class Run {
        long reads;
        long failedReads;
        long servedFromCache;
        final List<String> violations = new ArrayList<>();
    }

    private Run run(boolean checkVersions, boolean closeANode) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dir.resolve("cluster"), 1,
                LocalCluster.freeBasePort(1), 0, false, 0))) {
            RouteConfig ssdOnly = RouteConfigParser.parse(cluster.routesFile());
            List<InetSocketAddress> addresses = List.of(freeAddress(), freeAddress());
            Map<Tier, List<GroupRoute>> groups = new EnumMap<>(Tier.class);
            groups.put(Tier.SSD, ssdOnly.groups(Tier.SSD));
            groups.put(Tier.MEMORY, List.of(new GroupRoute(0, addresses.stream()
                    .map(a -> new Member(a.getHostString(), a.getPort(), "a")).toList())));
            Path routesFile = dir.resolve("routes-with-memory.yaml");
            Files.writeString(routesFile, RouteConfigWriter.toYaml(new RouteConfig(ssdOnly.version(), ssdOnly.layout(), groups,
                    ssdOnly.timeSplits(), 1.0)), StandardCharsets.UTF_8);
            List<MemoryNode> nodes = new ArrayList<>();
            try (RouteConfigWatcher watcher = new RouteConfigWatcher(routesFile, RouteConfigWatcher.DEFAULT_POLL);
                 SedimentClient client = SedimentClient.connect(RouteSource.watching(watcher))) {
                for (int n = 0; n < addresses.size(); n++) {
                    MemoryNodeConfig config = MemoryNodeConfig.of(0, n, addresses.get(n), routesFile,
                            dir.resolve("cache-" + n), 16L << 20);
                    nodes.add(MemoryNode.start(checkVersions ? config : config.withoutVersionChecks()));
                }
                return exercise(client, nodes, closeANode);
            } finally {
                nodes.forEach(MemoryNode::close);
            }
        }
    }

    private Run exercise(SedimentClient client, List<MemoryNode> nodes, boolean closeANode) throws Exception {
        Map<Long, ConcurrentLinkedQueue<Ack>> acks = new ConcurrentHashMap<>();
        for (long t = 1; t <= TIMELINES; t++) {
            acks.put(t, new ConcurrentLinkedQueue<>());
        }
        ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong failedReads = new AtomicLong();
        AtomicLong failedWrites = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    long timeline = ThreadLocalRandom.current().nextLong(1, TIMELINES + 1);
                    byte[] value = ("w" + writer + "-" + i).getBytes(StandardCharsets.UTF_8);
                    try {
                        Written written = client.append(timeline, value);
                        acks.get(timeline).add(new Ack(written.version(), System.nanoTime(),
                                new Item(timeline, written.ts(), written.seq(), value)));
                    } catch (RuntimeException e) {
                        failedWrites.incrementAndGet();
                    }
                }
            }));
        }
        for (int r = 0; r < 6; r++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    long timeline = ThreadLocalRandom.current().nextLong(1, TIMELINES + 1);
                    long started = System.nanoTime();
                    try {
                        reads.add(new Read(timeline, started, client.timeline(timeline, null, LIMIT)));
                    } catch (RuntimeException e) {
                        failedReads.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(Duration.ofSeconds(3));
        if (closeANode) {
            nodes.getFirst().close();
        }
        Thread.sleep(Duration.ofSeconds(3));
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failedWrites).as("no faults touch the SSD tier: every append is acknowledged").hasValue(0);
        Run run = new Run();
        run.reads = reads.size();
        run.failedReads = failedReads.get();
        run.servedFromCache = nodes.stream().map(MemoryNode::stats).mapToLong(MemoryNodeStats::servedFromCache).sum();
        for (Read read : reads) {
            check(read, List.copyOf(acks.get(read.timeline())), run.violations);
        }
        return run;
    }

    /**
     * The history checker. Recency: a page's version is at least that of every append
     * acknowledged before the read began. Content: the page is exactly the newest items at
     * some version V' ≥ its own; V' is the highest version among its items, since a page is read
     * after its version and may include appends applied in between (never fewer).
     */
    private static void check(Read read, List<Ack> acks, List<String> violations) {
        long ackedBefore = acks.stream().filter(a -> a.ackedAtNanos() < read.startedAtNanos())
                .mapToLong(Ack::version).max().orElse(0);
        if (read.page().version() < ackedBefore) {
            violations.add("timeline " + read.timeline() + ": read at version " + read.page().version()
                    + " began after version " + ackedBefore + " was acknowledged");
            return;
        }
        long shown = read.page().version();
        for (Item item : read.page().items()) {
            Ack ack = acks.stream().filter(a -> a.item().ts() == item.ts() && a.item().seq() == item.seq()).findFirst()
                    .orElse(null);
            if (ack == null) {
                violations.add("timeline " + read.timeline() + ": item " + item.ts() + "/" + item.seq()
                        + " was never acknowledged");
                return;
            }
            shown = Math.max(shown, ack.version());
        }
        long at = shown;
        List<Item> expected = acks.stream().filter(a -> a.version() <= at).map(Ack::item)
                .sorted(Comparator.comparingLong(Item::ts).thenComparing(Item::seq, Integer::compareUnsigned).reversed())
                .limit(LIMIT).toList();
        if (!sameItems(expected, read.page().items())) {
            violations.add("timeline " + read.timeline() + ": the page at version " + read.page().version()
                    + " is not the newest items at version " + at);
        }
    }

    private static boolean sameItems(List<Item> expected, List<Item> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            Item e = expected.get(i);
            Item a = actual.get(i);
            if (e.ts() != a.ts() || e.seq() != a.seq() || !java.util.Arrays.equals(e.value(), a.value())) {
                return false;
            }
        }
        return true;
    }

    private static InetSocketAddress freeAddress() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }
    }
}
