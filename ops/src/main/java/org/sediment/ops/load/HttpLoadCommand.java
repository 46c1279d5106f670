package org.sediment.ops.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.sediment.ops.local.LocalCluster;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.client.VersionConflictException;
import org.sediment.router.client.Write;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The product's load generator: a local cluster (two SSD groups of three replicas, fsync on,
 * and the HTTP API), driven through the SDK and through HTTP in the same run by closed-loop
 * clients: appends of 1 KiB values and 20-item page reads of prefilled timelines, then
 * compare-and-set on one hot timeline (clients that read the version and write {@code ifVersion},
 * retrying on conflict).
 */
@Command(name = "load-http", mixinStandardHelpOptions = true,
        description = "Load-test a local cluster through the SDK and the HTTP API: appends, page reads, compare-and-set.")
public final class HttpLoadCommand implements Callable<Integer> {

    @Option(names = "--clients", description = "concurrent closed-loop clients (default ${DEFAULT-VALUE})")
    int clients = 64;

    @Option(names = "--cas-clients", description = "clients of the compare-and-set phase (default ${DEFAULT-VALUE})")
    int casClients = 8;

    @Option(names = "--seconds", description = "measured seconds per phase (default ${DEFAULT-VALUE})")
    int seconds = 15;

    /**
     * The HTTP path is long (Tomcat, Spring MVC, Jackson): on 2 cores C2 needs tens of thousands of
     * requests before it is compiled; with a third of the warm-up for the SDK and two thirds for HTTP.
     * Page reads measured with ab on a warm API: 1,089/s after 20,000 requests, 2,219/s after 80,000.
     */
    @Option(names = "--warmup", description = "warm-up seconds, a third through the SDK, the rest through HTTP "
            + "(default ${DEFAULT-VALUE})")
    int warmupSeconds = 60;

    @Option(names = "--value-bytes", description = "item size (default ${DEFAULT-VALUE})")
    int valueBytes = 1024;

    @Option(names = "--timelines", description = "timelines written and read (default ${DEFAULT-VALUE})")
    int timelines = 2_000;

    @Option(names = "--ssd-groups", description = "SSD groups of the local cluster (default ${DEFAULT-VALUE})")
    int ssdGroups = 2;

    @Option(names = "--every-second", description = "also print each phase second by second")
    boolean everySecond;

    @Option(names = "--processes", description = "run each replica as its own process")
    boolean processes;

    @Option(names = "--hang-replica", description = "seconds to stop one replica with SIGSTOP during an extra SDK append "
            + "phase, reporting the longest gap between successful writes and the rate while it hangs (needs --processes)")
    int hangSeconds;

    @Option(names = "--dir", description = "where the data goes (default: a new temporary directory, deleted after)")
    Path dir;

    private final AtomicLong nextOwner = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        Path base = dir != null ? dir : Files.createTempDirectory("sediment-load-http-");
        System.out.printf("load-http %s: %d clients, %d B items, %d timelines, %d SSD groups, %d s per phase, data in %s%n",
                LocalDate.now(), clients, valueBytes, timelines, ssdGroups, seconds, base);
        if (hangSeconds > 0 && !processes) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--hang-replica needs --processes: only a replica of its own can be stopped");
        }
        List<LoadResult> results = new ArrayList<>();
        String cas;
        String hang = null;
        List<Path> sharedMemory = new ArrayList<>();
        try {
            try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(base, ssdGroups,
                        LocalCluster.freeBasePort(ssdGroups), 0, processes));
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                         .connectTimeout(Duration.ofSeconds(5)).build()) {
                SedimentClient client = cluster.client();
                sharedMemory.addAll(cluster.sharedMemory());
                String url = cluster.httpUrl();
                // Every timeline gets 25 items first, so each page read returns a full 20-item page.
                Prefill.timelines(client, timelines, 25, clients, this::value);
                LoadPhase.chained("warm-up", warmupSeconds / 3, clients, false, () -> sdkAppend(client));
                LoadPhase.chained("warm-up", (warmupSeconds - warmupSeconds / 3) / 2, clients, false,
                        () -> httpAppend(http, url));
                LoadPhase.chained("warm-up", (warmupSeconds - warmupSeconds / 3) / 2, clients, false,
                        () -> httpPage(http, url));
                results.add(LoadPhase.chained("SDK appends", seconds, clients, everySecond, () -> sdkAppend(client)));
                results.add(LoadPhase.chained("SDK page reads (20 items)", seconds, clients, everySecond,
                        () -> sdkPage(client)));
                results.add(LoadPhase.chained("HTTP appends", seconds, clients, everySecond,
                        () -> httpAppend(http, url)));
                results.add(LoadPhase.chained("HTTP page reads (20 items)", seconds, clients, everySecond,
                        () -> httpPage(http, url)));
                cas = compareAndSet(client);
                if (hangSeconds > 0) {
                    hang = HungReplicaRun.run(client, cluster, clients, hangSeconds, this::value, timelines);
                }
            }
            System.out.println();
            System.out.println(LoadResult.header());
            for (LoadResult r : results) {
                System.out.println(r.row());
            }
            System.out.println();
            System.out.println(cas);
            if (hang != null) {
                System.out.println(hang);
            }
            System.out.printf("HTTP/SDK: appends %.0f%%, page reads %.0f%%%n",
                    100 * results.get(2).opsPerSecond() / results.get(0).opsPerSecond(),
                    100 * results.get(3).opsPerSecond() / results.get(1).opsPerSecond());
        } finally {
            if (dir == null) { // a throwaway cluster goes, whatever happened
                SsdLoadCommand.deleteThrowaway(base, sharedMemory);
            }
        }
        return 0;
    }

    private CompletableFuture<Boolean> sdkAppend(SedimentClient client) {
        return client.appendAsync(owner(), value()).thenApply(w -> true);
    }

    private CompletableFuture<Boolean> sdkPage(SedimentClient client) {
        return client.timelineAsync(owner(), null, 20).thenApply(page -> page.items().size() == 20);
    }

    private CompletableFuture<Boolean> httpAppend(HttpClient http, String url) {
        String body = "{\"valueBase64\":\"" + java.util.Base64.getEncoder().encodeToString(value()) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/timelines/" + owner() + "/items"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(r -> r.statusCode() == 201);
    }

    private CompletableFuture<Boolean> httpPage(HttpClient http, String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/timelines/" + owner() + "?limit=20")).GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> r.statusCode() == 200);
    }

    /**
     * Compare-and-set on one hot timeline: each client reads the version, then writes at it; a
     * conflict tells the current version, which the client writes at next (no second read).
     */
    private String compareAndSet(SedimentClient client) throws InterruptedException {
        long hot = Long.MAX_VALUE - 1;
        LongAdder successes = new LongAdder();
        LongAdder conflicts = new LongAdder();
        LongAdder errors = new LongAdder();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < casClients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                long version = -1;
                while (running.get()) {
                    try {
                        if (version < 0) {
                            version = client.timeline(hot, null, 1).version();
                        }
                        version = client.write(Write.append(hot, System.currentTimeMillis(), value()).ifVersion(version))
                                .version();
                        successes.increment();
                    } catch (VersionConflictException e) {
                        conflicts.increment();
                        version = e.actualVersion();
                    } catch (RuntimeException e) {
                        errors.increment();
                        version = -1;
                    }
                }
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long attempts = successes.sum() + conflicts.sum() + errors.sum();
        return String.format("compare-and-set on one timeline, %d clients: %.0f successful writes/s, %d conflicts "
                        + "(%.0f%% of %d attempts), %d errors", casClients, successes.sum() / elapsed, conflicts.sum(),
                attempts == 0 ? 0.0 : 100.0 * conflicts.sum() / attempts, attempts, errors.sum());
    }

    private long owner() {
        return nextOwner.getAndIncrement() % timelines;
    }

    byte[] value() {
        byte[] value = new byte[valueBytes];
        ThreadLocalRandom.current().nextBytes(value);
        return value;
    }
}
