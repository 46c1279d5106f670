package org.sediment.ops.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.sediment.memory.node.MemoryNode;
import org.sediment.memory.node.MemoryNodeStats;
import org.sediment.ops.local.LocalCluster;
import org.sediment.router.client.RouteSource;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigParser;
import org.sediment.router.config.RouteConfigWatcher;
import org.sediment.router.config.RouteConfigWriter;
import org.sediment.router.config.Tier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Page reads through the memory tier against the same reads straight to the SSD tier, in one
 * run on one local cluster: newest pages of 20 and 100 items, owners skewed towards a hot few.
 * For each memory phase it reports the batch factor (reads per version-check RPC), the share of
 * reads the cache answered, and the bytes the SSD tier's storage engine read per cache hit. If
 * {@code redis-server} and {@code redis-benchmark} are on the PATH, it also runs Redis's
 * {@code LRANGE_100} on 1 KiB values with the same number of clients, for scale.
 */
@Command(name = "load-memory", mixinStandardHelpOptions = true,
        description = "Load-test page reads through the memory tier against the SSD tier directly (and Redis LRANGE, if installed).")
public final class MemoryLoadCommand implements Callable<Integer> {

    @Option(names = "--clients", description = "concurrent closed-loop readers (default ${DEFAULT-VALUE})")
    int clients = 64;

    @Option(names = "--seconds", description = "measured seconds per phase (default ${DEFAULT-VALUE})")
    int seconds = 15;

    @Option(names = "--warmup", description = "warm-up seconds, half through each tier (default ${DEFAULT-VALUE})")
    int warmupSeconds = 30;

    @Option(names = "--timelines", description = "timelines read (default ${DEFAULT-VALUE})")
    int timelines = 1_000;

    @Option(names = "--value-bytes", description = "item size (default ${DEFAULT-VALUE})")
    int valueBytes = 1024;

    @Option(names = "--ssd-groups", description = "SSD groups of the local cluster, each with a memory group of two "
            + "nodes (default ${DEFAULT-VALUE})")
    int ssdGroups = 1;

    @Option(names = "--dir", description = "where the data goes (default: a new temporary directory, deleted after)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path base = dir != null ? dir : Files.createTempDirectory("sediment-load-memory-");
        System.out.printf("load-memory %s: %d readers, %d B items, %d timelines of 100 items, owners skewed (u^3), "
                + "%d SSD group(s), %d s per phase, data in %s%n", LocalDate.now(), clients, valueBytes, timelines,
                ssdGroups, seconds, base);
        List<LoadResult> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Path> sharedMemory = new ArrayList<>();
        try {
            try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(base.resolve("cluster"), ssdGroups,
                    LocalCluster.freeBasePort(ssdGroups), 0, false, 2));
                 RouteConfigWatcher ssdRoutes = new RouteConfigWatcher(ssdOnly(cluster.routesFile(), base),
                         RouteConfigWatcher.DEFAULT_POLL);
                 SedimentClient ssd = SedimentClient.connect(RouteSource.watching(ssdRoutes))) {
                SedimentClient memory = cluster.client();
                sharedMemory.addAll(cluster.sharedMemory());
                Prefill.timelines(memory, timelines, 100, clients, this::value);
                LoadPhase.chained("warm-up", warmupSeconds / 2, clients, false, () -> page(memory, 20));
                LoadPhase.chained("warm-up", warmupSeconds / 2, clients, false, () -> page(ssd, 20));
                for (int limit : new int[] {20, 100}) {
                    Figures before = Figures.of(cluster);
                    results.add(LoadPhase.chained("memory tier, " + limit + "-item pages", seconds, clients, false,
                            () -> page(memory, limit)));
                    notes.add(limit + "-item pages through the memory tier: " + Figures.of(cluster).since(before));
                    results.add(LoadPhase.chained("SSD tier, " + limit + "-item pages", seconds, clients, false,
                            () -> page(ssd, limit)));
                }
            }
            String redis = RedisLrange.run(clients, valueBytes, seconds);
            System.out.println();
            System.out.println(LoadResult.header());
            results.forEach(r -> System.out.println(r.row()));
            System.out.println();
            notes.forEach(System.out::println);
            System.out.printf("memory/SSD: 20-item pages %.1f×, 100-item pages %.1f×%n",
                    results.get(0).opsPerSecond() / results.get(1).opsPerSecond(),
                    results.get(2).opsPerSecond() / results.get(3).opsPerSecond());
            System.out.println(redis == null ? "Redis: redis-server or redis-benchmark not on the PATH, skipped" : redis);
            Double lrange = RedisLrange.rate(redis);
            if (lrange != null) {
                System.out.printf("memory tier 100-item pages / Redis LRANGE_100: %.2f%n", results.get(2).opsPerSecond() / lrange);
            }
        } finally {
            if (dir == null) { // a throwaway cluster goes, whatever happened
                SsdLoadCommand.deleteThrowaway(base, sharedMemory);
            }
        }
        return 0;
    }

    /** The cluster's routes with no memory groups: a client following them reads the SSD tier only. */
    private static Path ssdOnly(Path routesFile, Path dir) throws IOException {
        RouteConfig all = RouteConfigParser.parse(routesFile);
        Map<Tier, List<GroupRoute>> groups = new EnumMap<>(Tier.class);
        groups.put(Tier.SSD, all.groups(Tier.SSD));
        Path file = dir.resolve("routes-ssd-only.yaml");
        Files.writeString(file, RouteConfigWriter.toYaml(new RouteConfig(all.version(), all.layout(), groups,
                all.timeSplits(), 0.0)), StandardCharsets.UTF_8);
        return file;
    }

    private CompletableFuture<Boolean> page(SedimentClient client, int limit) {
        double u = ThreadLocalRandom.current().nextDouble();
        long owner = (long) (timelines * u * u * u); // a tenth of the owners get ~46% of the reads
        return client.timelineAsync(owner, null, limit).thenApply(page -> page.items().size() == limit);
    }

    private byte[] value() {
        byte[] value = new byte[valueBytes];
        ThreadLocalRandom.current().nextBytes(value);
        return value;
    }

    /** The memory nodes' counters and the SSD storage engine's bytes read, to take differences of. */
    private record Figures(long reads, long valid, long checks, long claims, long storeBytes) {
        static Figures of(LocalCluster cluster) {
            long reads = 0;
            long valid = 0;
            long checks = 0;
            long claims = 0;
            for (MemoryNode node : cluster.memoryNodes()) {
                MemoryNodeStats s = node.stats();
                reads += s.pageReads();
                valid += s.servedFromCache();
                checks += s.versionChecks();
                claims += s.claims();
            }
            return new Figures(reads, valid, checks, claims, cluster.ssdStorePageBytesRead());
        }

        String since(Figures before) {
            long hits = valid - before.valid;
            long pageReads = reads - before.reads;
            return String.format("batch factor %.1f reads per version check, %.1f%% answered from the cache, "
                            + "%.1f storage-engine bytes read per page read (%d reads not answered from the cache)",
                    (double) (claims - before.claims) / Math.max(1, checks - before.checks),
                    100.0 * hits / Math.max(1, pageReads),
                    (double) (storeBytes - before.storeBytes) / Math.max(1, pageReads), pageReads - hits);
        }
    }

    /** Redis's own benchmark of LRANGE_100, when Redis is installed. */
    static final class RedisLrange {
        private RedisLrange() {
        }

        static String run(int clients, int valueBytes, int seconds) throws Exception {
            if (!onPath("redis-server") || !onPath("redis-benchmark")) {
                return null;
            }
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Process server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--save", "",
                    "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Thread.sleep(500);
                // LRANGE_100 reads 100 elements of a list redis-benchmark fills first with -d byte values.
                int requests = Math.max(20_000, seconds * 3_000);
                Process bench = new ProcessBuilder("redis-benchmark", "-p", Integer.toString(port), "-c",
                        Integer.toString(clients), "-n", Integer.toString(requests), "-d", Integer.toString(valueBytes),
                        "-t", "lrange_100", "-q").redirectErrorStream(true).start();
                String out = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                bench.waitFor(5, TimeUnit.MINUTES);
                String line = out.lines().map(String::strip).filter(l -> l.startsWith("LRANGE_100")).reduce((a, b) -> b)
                        .orElse("no LRANGE_100 line in: " + out.strip());
                return "Redis (redis-benchmark -c " + clients + " -d " + valueBytes + " -t lrange_100): " + line;
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }

        /** The requests/s of a {@link #run} line, or null. */
        static Double rate(String line) {
            if (line == null) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("LRANGE_100[^:]*: ([0-9.]+) requests per second")
                    .matcher(line);
            return m.find() ? Double.parseDouble(m.group(1)) : null;
        }

        private static boolean onPath(String command) {
            String path = System.getenv("PATH");
            if (path == null) {
                return false;
            }
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(entry, command))) {
                    return true;
                }
            }
            return false;
        }
    }
}
