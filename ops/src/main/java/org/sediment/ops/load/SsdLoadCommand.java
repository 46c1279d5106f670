package org.sediment.ops.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.ReadMode;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.key.ItemKey;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.router.ssd.SsdGroupClient;
import org.sediment.ssd.node.EmbeddedSsdGroup;
import org.sediment.ssd.node.SsdNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The SSD tier's load generator: a real 3-replica group on loopback with fsync on (embedded in
 * this JVM, or with {@code --processes} one {@code ssd-node} process each), driven by
 * closed-loop clients (each waits for its reply before the next request; {@link ChainedClient}),
 * which finds the most the group sustains; then as many clients open-loop at {@code --rate}, on
 * virtual threads, which shows the latency at that load (see {@link ClientSchedule}); then the
 * same append workload against one LevelDB with synced writes and no replication, in the same
 * run, so the ratio shows what replication costs on this machine.
 */
@Command(name = "load-ssd", mixinStandardHelpOptions = true,
        description = "Load-test a 3-replica SSD group (appends, strong reads) and a single synced LevelDB.")
public final class SsdLoadCommand implements Callable<Integer> {

    @Option(names = "--clients", description = "concurrent closed-loop clients (default ${DEFAULT-VALUE})")
    int clients = 64;

    @Option(names = "--seconds", description = "measured seconds per phase (default ${DEFAULT-VALUE})")
    int seconds = 20;

    /** Long enough for C2 to settle: with 10 s it still took a third of a core in the measured phase. */
    @Option(names = "--warmup", description = "warm-up seconds before the append phase (default ${DEFAULT-VALUE})")
    int warmupSeconds = 40;

    @Option(names = "--rate", description = "total appends/s of the open-loop phase, latency timed from when each "
            + "request was due; 0 skips the phase (default ${DEFAULT-VALUE})")
    double rate = 5_000;

    @Option(names = "--value-bytes", description = "item size (default ${DEFAULT-VALUE})")
    int valueBytes = 1024;

    @Option(names = "--timelines", description = "distinct timelines written (default ${DEFAULT-VALUE})")
    int timelines = 10_000;

    /**
     * One event loop carries all 64 chained clients with room to spare; a second one only adds
     * thread switches on a small machine (five alternating pairs: 9,697-13,070 against
     * 8,021-12,112 appends/s, every pair in favour of one).
     */
    @Option(names = "--io-threads", description = "event-loop threads of the load clients (default ${DEFAULT-VALUE})")
    int ioThreads = 1;

    @Option(names = "--processes", description = "run each replica as its own ssd-node process (default: embedded in this JVM)")
    boolean processes;

    @Option(names = "--every-second", description = "also print each measured phase second by second "
            + "(ops/s and p99), to see whether slow requests come in windows or evenly")
    boolean everySecond;

    @Option(names = "--dir", description = "where the data goes (default: a new temporary directory, deleted after)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path base = dir != null ? dir : Files.createTempDirectory("sediment-load-");
        System.out.printf("load-ssd %s: %d clients, %d B items, %d timelines, %d s per phase, data in %s%n",
                LocalDate.now(), clients, valueBytes, timelines, seconds, base);
        List<LoadResult> results;
        List<Path> versionCaches = new ArrayList<>();
        if (processes) {
            try (SsdNodeProcesses group = SsdNodeProcesses.start(1, 3, base.resolve("group"))) {
                results = drive(group.addresses());
                for (int i = 0; i < group.size(); i++) {
                    System.out.println("  node " + i + ": a process, output in " + group.log(i));
                    versionCaches.add(group.versionCacheFile(i));
                }
            }
        } else {
            try (EmbeddedSsdGroup group = EmbeddedSsdGroup.start(1, 3, base.resolve("group"), c -> c)) {
                results = drive(group.addresses());
                for (int i = 0; i < group.size(); i++) {
                    System.out.println("  node " + i + ": " + group.node(i).health());
                    versionCaches.add(group.node(i).config().versionCacheFile());
                }
            }
        }
        LoadResult baseline;
        try (DB db = Iq80DBFactory.factory.open(base.resolve("single-leveldb").toFile(), new Options().createIfMissing(true))) {
            WriteOptions sync = new WriteOptions().sync(true);
            baseline = run("single LevelDB, sync writes", seconds, 0, () -> {
                long timeline = ThreadLocalRandom.current().nextLong(timelines);
                db.put(new ItemKey(timeline, System.currentTimeMillis(), ThreadLocalRandom.current().nextInt()).encode(),
                        value(), sync);
                return true;
            });
        }
        System.out.println();
        System.out.println(LoadResult.header());
        for (LoadResult r : results) {
            System.out.println(r.row());
        }
        System.out.println(baseline.row());
        System.out.printf("%nreplication cost: replicated appends/s = %.2f × single synced LevelDB writes/s%n",
                results.get(0).opsPerSecond() / baseline.opsPerSecond());
        if (dir == null) {
            deleteRecursively(base);
            for (Path cache : versionCaches) {
                Files.deleteIfExists(cache); // in shared memory, outside the data directory
            }
        }
        return 0;
    }

    /**
     * Warm-up, then the measured appends (closed loop, then open loop at {@code --rate}) and
     * strong reads against the group at {@code addresses}; the closed-loop appends come first.
     */
    private List<LoadResult> drive(List<InetSocketAddress> addresses) throws InterruptedException {
        try (RpcClient rpc = new RpcClient(RpcClientConfig.defaults().withConnectionsPerPeer(4).withIoThreads(ioThreads),
                SsdNode.registry())) {
            SsdGroupClient client = new SsdGroupClient(addresses, rpc, 0, 2_000, 3, 50);
            // The open-loop phase runs on virtual threads: start the first one before the JIT
            // compiles the nodes' hot paths, not at that phase (see RpcServer.warmHandlerThreads).
            Thread.ofVirtual().start(() -> { }).join();
            runChained("warm-up", warmupSeconds, () -> appendAsync(client));
            List<LoadResult> results = new ArrayList<>();
            results.add(runChained("replicated appends", seconds, () -> appendAsync(client)));
            if (rate > 0) {
                results.add(run(String.format("replicated appends, open loop at %.0f/s", rate), seconds, rate,
                        () -> append(client)));
            }
            results.add(runChained("strong reads", seconds, () -> readAsync(client)));
            return results;
        }
    }

    private boolean append(SsdGroupClient client) {
        return appendAsync(client).join();
    }

    private CompletableFuture<Boolean> appendAsync(SsdGroupClient client) {
        long timeline = ThreadLocalRandom.current().nextLong(timelines);
        return client.writeAsync(new WriteRequest(timeline, WriteKind.APPEND, -1, System.currentTimeMillis(), 0, value()))
                .thenApply(reply -> reply.status() == WriteStatus.OK);
    }

    private CompletableFuture<Boolean> readAsync(SsdGroupClient client) {
        long timeline = ThreadLocalRandom.current().nextLong(timelines);
        return client.pageAsync(new PageRequest(timeline, ReadMode.STRONG, true, 0, 0, 20)).thenApply(reply -> true);
    }

    private byte[] value() {
        byte[] value = new byte[valueBytes];
        ThreadLocalRandom.current().nextBytes(value);
        return value;
    }

    @FunctionalInterface
    interface Op {
        boolean run() throws Exception;
    }

    /** One phase on threads: closed-loop clients, or open-loop ones sharing {@code rate} ops/s if it is positive. */
    private LoadResult run(String name, int phaseSeconds, double rate, Op op) throws InterruptedException {
        LoadPhase phase = new LoadPhase(name, everySecond);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ClientSchedule schedule = rate > 0 ? ClientSchedule.openLoop(rate, clients, i, phase.began())
                    : ClientSchedule.closedLoop();
            threads.add(Thread.ofVirtual().start(() -> {
                while (phase.running()) {
                    long start = schedule.awaitNext();
                    boolean success;
                    try {
                        success = op.run();
                    } catch (Exception e) {
                        success = false;
                    }
                    phase.record(start, success);
                }
            }));
        }
        return phase.finish(phaseSeconds, () -> {
            for (Thread t : threads) {
                t.join();
            }
        });
    }

    private LoadResult runChained(String name, int phaseSeconds, Supplier<CompletableFuture<Boolean>> request)
            throws InterruptedException {
        return LoadPhase.chained(name, phaseSeconds, clients, everySecond, request);
    }

    /** Deletes a throwaway cluster's directory and the caches it kept in shared memory. */
    static void deleteThrowaway(Path base, List<Path> sharedMemory) throws IOException {
        deleteRecursively(base);
        for (Path cache : sharedMemory) {
            if (Files.exists(cache)) {
                deleteRecursively(cache);
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
