package org.sediment.ops.hdd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.hdd.BlockRead;
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.api.ssd.ColdRoute;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.block.Block;
import org.sediment.common.block.BlockItem;
import org.sediment.common.block.ColdLink;
import org.sediment.common.block.DiskLayout;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.hdd.node.HddNode;
import org.sediment.hdd.node.HddNodeConfig;
import org.sediment.hdd.node.HddNodeStats;
import org.sediment.router.client.HddColdReader;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.hdd.HddGroupWriter;

/**
 * Three real HDD nodes of one group, two disk directories each: blocks written through the
 * writer land byte-identical on all three; every item reads back through the client's cold
 * reader with one disk read per block read; a damaged or missing copy is passed over for
 * another replica, no read fails, and the damaged copies are repaired from a peer.
 */
class HddTierTest {
    private static final int DISKS = 2;

    @TempDir
    Path dir;
    private final List<HddNode> nodes = new ArrayList<>();
    private RpcClient rpc;

    @BeforeEach
    void start() throws Exception {
        List<InetSocketAddress> addresses = List.of(new InetSocketAddress("127.0.0.1", freePort()),
                new InetSocketAddress("127.0.0.1", freePort()), new InetSocketAddress("127.0.0.1", freePort()));
        for (int n = 0; n < 3; n++) {
            List<Path> disks = new ArrayList<>();
            for (int d = 0; d < DISKS; d++) {
                disks.add(dir.resolve("node-" + n).resolve("disk-" + d));
            }
            List<InetSocketAddress> peers = new ArrayList<>(addresses);
            peers.remove(n);
            nodes.add(HddNode.start(new HddNodeConfig(0, n, addresses.get(n), disks, peers)));
        }
        rpc = new RpcClient(RpcClientConfig.defaults(), SedimentClient.REGISTRY);
    }

    @AfterEach
    void stop() {
        rpc.close();
        nodes.forEach(HddNode::close);
    }

    @Test
    void blocksLandByteIdenticalOnAllReplicasAndEveryItemReadsBackThroughTheColdReader() throws Exception {
        DiskLayout layout = new DiskLayout(65_536, DISKS);
        HddGroupWriter writer = new HddGroupWriter(rpc, layout, 10_000);
        List<InetSocketAddress> replicas = nodes.stream().map(HddNode::address).toList();
        ColdRoute route = new ColdRoute(0, replicas.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
        SplittableRandom random = new SplittableRandom(7);
        Map<ColdLink, List<BlockItem>> written = new HashMap<>();
        for (int b = 0; b < 40; b++) {
            Block block = new Block(random.nextInt(65_536), 20_000 + random.nextInt(3));
            List<BlockItem> items = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(200); i++) {
                items.add(new BlockItem(random.nextLong(5), 1_700_000_000_000L + random.nextLong(1_000_000), random.nextInt(),
                        ("item " + b + "/" + i + " " + "x".repeat(random.nextInt(300))).getBytes(StandardCharsets.UTF_8)));
            }
            written.put(writer.write(0, replicas, block, items), items);
        }
        assertIdenticalFiles();

        HddColdReader reader = new HddColdReader(rpc, 10_000);
        readEverything(reader, route, written);
        for (HddNode node : nodes) {
            HddNodeStats stats = node.stats();
            if (stats.reads() > 0) {
                assertThat(stats.diskReadsPerRead()).as("one positioned read per block read").isEqualTo(1.0);
            }
        }

        // Damage every record on node 0 and remove node 1's files: reads go to what is left.
        ColdLink any = written.keySet().iterator().next();
        for (ColdLink link : written.keySet()) {
            Path file = dir.resolve("node-0").resolve("disk-" + link.disk()).resolve(DiskLayout.fileName(link.file()));
            try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
                raw.seek(link.offset() + link.length() - 1);
                int last = raw.read();
                raw.seek(link.offset() + link.length() - 1);
                raw.write(last ^ 0xFF);
            }
        }
        nodes.get(1).close();
        readEverything(reader, route, written);
        assertThat(nodes.get(0).stats().damaged()).as("node 0 found its copies damaged").isPositive();
        assertThat(any).isNotNull();

        // Every damaged copy node 0 is asked for is repaired from a peer (node 2), off the read path.
        InetSocketAddress node0 = nodes.get(0).address();
        for (ColdLink link : written.keySet()) {
            rpc.call(node0, HddApi.READ, read(link), CallOptions.of(0, 10_000)).join();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> nodes.get(0).stats().repairsQueued() == 0);
        assertThat(nodes.get(0).stats().repaired()).isEqualTo(written.size());
        assertThat(nodes.get(0).stats().repairsFailed()).isZero();
        for (ColdLink link : written.keySet()) {
            assertThat(rpc.call(node0, HddApi.READ, read(link), CallOptions.of(0, 10_000)).join())
                    .isInstanceOf(RpcOutcome.Success.class);
            Path mine = dir.resolve("node-0").resolve("disk-" + link.disk()).resolve(DiskLayout.fileName(link.file()));
            Path peer = dir.resolve("node-2").resolve("disk-" + link.disk()).resolve(DiskLayout.fileName(link.file()));
            assertThat(Files.readAllBytes(mine)).isEqualTo(Files.readAllBytes(peer));
        }
    }

    @Test
    void aWipedDiskIsRebuiltFromAPeerWhileItsReadsGoToTheOthers() throws Exception {
        HddGroupWriter writer = new HddGroupWriter(rpc, new DiskLayout(65_536, DISKS), 10_000);
        List<InetSocketAddress> replicas = nodes.stream().map(HddNode::address).toList();
        ColdRoute route = new ColdRoute(0, replicas.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
        SplittableRandom random = new SplittableRandom(11);
        Map<ColdLink, List<BlockItem>> written = new HashMap<>();
        for (int b = 0; b < 20; b++) {
            List<BlockItem> items = List.of(new BlockItem(b % 5, 1_700_000_000_000L + b, b,
                    ("block " + b).repeat(1 + random.nextInt(50)).getBytes(StandardCharsets.UTF_8)));
            written.put(writer.write(0, replicas, new Block(random.nextInt(65_536), 30_000 + b % 4), items), items);
        }
        Path lost = dir.resolve("node-0").resolve("disk-1");
        try (Stream<Path> paths = Files.walk(lost)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        readEverything(new HddColdReader(rpc, 10_000), route, written); // meanwhile: other replicas serve
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> nodes.get(0).stats().disksRebuilt() == 1 && nodes.get(0).stats().disksRebuilding() == 0);
        assertIdenticalFiles();
        InetSocketAddress node0 = nodes.get(0).address();
        for (ColdLink link : written.keySet()) {
            assertThat(rpc.call(node0, HddApi.READ, read(link), CallOptions.of(0, 10_000)).join())
                    .as("node 0 serves %s again", link).isInstanceOf(RpcOutcome.Success.class);
        }

        // A record no replica has: one repair fails on the node asked, and the peers do not chase it.
        assertThat(rpc.call(node0, HddApi.READ, new BlockRead(0, 999, 0, 100), CallOptions.of(0, 10_000)).join())
                .isInstanceOf(RpcOutcome.Failure.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> nodes.get(0).stats().repairsFailed() == 1 && nodes.get(0).stats().repairsQueued() == 0);
        Thread.sleep(500);
        for (HddNode n : nodes) {
            assertThat(n.stats().repairsQueued()).isZero();
            assertThat(n.stats().repairsFailed()).isEqualTo(n == nodes.get(0) ? 1 : 0);
        }
    }

    private static BlockRead read(ColdLink link) {
        return new BlockRead(link.disk(), link.file(), link.offset(), link.length());
    }

    private void readEverything(HddColdReader reader, ColdRoute route, Map<ColdLink, List<BlockItem>> written) {
        for (Map.Entry<ColdLink, List<BlockItem>> e : written.entrySet()) {
            for (long owner = 0; owner < 5; owner++) {
                long o = owner;
                List<TimelineItem> expected = e.getValue().stream().filter(i -> i.owner() == o)
                        .map(i -> new TimelineItem(i.ts(), i.seq(), i.value())).sorted(TimelineItem.NEWEST_FIRST).toList();
                assertThat(reader.read(owner, e.getKey(), route).join()).isEqualTo(expected);
            }
        }
    }

    private void assertIdenticalFiles() throws Exception {
        for (int d = 0; d < DISKS; d++) {
            Path first = dir.resolve("node-0").resolve("disk-" + d);
            List<Path> files;
            try (Stream<Path> listing = Files.list(first)) {
                files = listing.filter(p -> p.toString().endsWith(".blocks")).sorted().toList();
            }
            for (int n = 1; n < 3; n++) {
                Path other = dir.resolve("node-" + n).resolve("disk-" + d);
                try (Stream<Path> listing = Files.list(other)) {
                    assertThat(listing.filter(p -> p.toString().endsWith(".blocks")).map(Path::getFileName).sorted().toList())
                            .isEqualTo(files.stream().map(Path::getFileName).toList());
                }
                for (Path f : files) {
                    assertThat(Files.readAllBytes(other.resolve(f.getFileName()))).as("%s on node %d", f.getFileName(), n)
                            .isEqualTo(Files.readAllBytes(f));
                }
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
