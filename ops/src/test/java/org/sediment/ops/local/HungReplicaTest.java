package org.sediment.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.ops.load.SsdNodeProcesses;
import org.sediment.router.client.Cursor;
import org.sediment.router.client.Item;
import org.sediment.router.client.Page;
import org.sediment.router.client.SedimentClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code ssd-node} process of a real three-process group stopped with SIGSTOP (alive, sockets
 * open, answering nothing) under concurrent writers, then continued: through the SDK no write
 * waits out the client timeout and none fails; over HTTP, with readers paging all the while,
 * nothing acknowledged is lost, nothing is stored twice, pages run newest first without repeats
 * and versions never go backwards.
 */
class HungReplicaTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    @TempDir
    static Path dir;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalClusters.start(dir, 1, true);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sdkWritesNeverWaitOutTheTimeoutWhileAReplicaHangs() throws Exception {
        SedimentClient client = cluster.client();
        long timeoutMs = client.settings().calls().timeoutMs();
        SsdNodeProcesses group = cluster.ssd().processes(0);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lastSuccess = new AtomicLong(System.nanoTime());
        AtomicLong longestGapNanos = new AtomicLong();
        AtomicLong slowestNanos = new AtomicLong();
        AtomicLong hungWrites = new AtomicLong();
        AtomicBoolean hung = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            long owner = 500 + w;
            writers.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        client.append(owner, "x".getBytes(StandardCharsets.UTF_8));
                    } catch (RuntimeException e) {
                        failures.add(e);
                        continue;
                    }
                    long now = System.nanoTime();
                    slowestNanos.accumulateAndGet(now - start, Math::max);
                    long previous = lastSuccess.getAndSet(now);
                    longestGapNanos.accumulateAndGet(now - previous, Math::max);
                    if (hung.get()) {
                        hungWrites.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(2_000);
        signal("STOP", group.pid(0));
        hung.set(true);
        long hungFrom = System.nanoTime();
        Thread.sleep(10_000);
        hung.set(false);
        long hungFor = System.nanoTime() - hungFrom;
        signal("CONT", group.pid(0));
        Thread.sleep(2_000);
        running.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        System.out.printf("hung replica: %d writes in %.1f s (%.0f/s), longest gap %d ms, slowest write %d ms%n",
                hungWrites.get(), hungFor / 1e9, hungWrites.get() / (hungFor / 1e9),
                longestGapNanos.get() / 1_000_000, slowestNanos.get() / 1_000_000);
        assertThat(failures).isEmpty();
        assertThat(slowestNanos.get()).isLessThan(TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        assertThat(hungWrites.get()).isGreaterThan(0);
    }

    @Test
    void concurrentHttpWritersAndReadersLoseAndRepeatNothingWhileAReplicaHangs() throws Exception {
        String base = cluster.httpUrl();
        SsdNodeProcesses group = cluster.ssd().processes(0);
        long[] owners = {900, 901, 902};
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Long> acknowledged = new ConcurrentHashMap<>(); // tag -> owner
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().executor(Runnable::run).build()) {
            for (int w = 0; w < 4; w++) {
                int writer = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int n = 0; running.get(); n++) {
                        long owner = owners[n % owners.length];
                        String tag = "w" + writer + "-" + n;
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/timelines/"
                                            + owner + "/items")).header("Content-Type", "application/json")
                                            .header("Idempotency-Key", tag)
                                            .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + tag + "\"}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                acknowledged.put(tag, owner);
                            } else {
                                problems.add("append " + tag + ": " + r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            problems.add("append " + tag + ": " + e);
                        }
                    }
                }));
            }
            for (int reader = 0; reader < 2; reader++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    Map<Long, Long> lastVersion = new HashMap<>();
                    while (running.get()) {
                        for (long owner : owners) {
                            try {
                                checkPages(http, base, owner, lastVersion, problems);
                            } catch (Exception e) {
                                problems.add("read " + owner + ": " + e);
                            }
                        }
                    }
                }));
            }
            Thread.sleep(2_000);
            signal("STOP", group.pid(0));
            Thread.sleep(4_000);
            signal("CONT", group.pid(0));
            Thread.sleep(2_000);
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertThat(problems).isEmpty();
        assertThat(acknowledged).isNotEmpty();
        // Every acknowledged append is there, exactly once; nothing is there that was not sent.
        SedimentClient client = cluster.client();
        Map<String, Integer> stored = new HashMap<>();
        for (long owner : owners) {
            Cursor cursor = null;
            do {
                Page page = client.timeline(owner, cursor, 100);
                for (Item item : page.items()) {
                    stored.merge(new String(item.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                }
                cursor = page.next();
            } while (cursor != null);
        }
        for (String tag : acknowledged.keySet()) {
            assertThat(stored.get(tag)).as("acknowledged append %s", tag).isEqualTo(1);
        }
        assertThat(stored.values()).allMatch(count -> count == 1);
    }

    /** Pages one timeline to its end: newest first, no repeats, versions not going backwards. */
    private static void checkPages(HttpClient http, String base, long owner, Map<Long, Long> lastVersion,
                                   List<String> problems) throws Exception {
        String cursor = null;
        Set<String> seen = new HashSet<>();
        long previousTs = Long.MAX_VALUE;
        long previousSeq = -1;
        do {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/timelines/" + owner
                    + "?limit=50" + (cursor == null ? "" : "&before=" + cursor))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                problems.add("page " + owner + ": " + r.statusCode() + " " + r.body());
                return;
            }
            JsonNode page = JSON.readTree(r.body());
            long version = page.get("version").asLong();
            Long before = lastVersion.put(owner, Math.max(version, lastVersion.getOrDefault(owner, 0L)));
            if (cursor == null && before != null && version < before) {
                problems.add("timeline " + owner + " went back from version " + before + " to " + version);
            }
            for (JsonNode item : page.get("items")) {
                long ts = item.get("ts").asLong();
                long seq = item.get("seq").asLong();
                if (ts > previousTs || (ts == previousTs && seq >= previousSeq)) {
                    problems.add("timeline " + owner + " not newest first at " + ts + "/" + seq);
                }
                previousTs = ts;
                previousSeq = seq;
                if (!seen.add(item.get("value").asString())) {
                    problems.add("timeline " + owner + " repeats " + item.get("value").asString());
                }
            }
            cursor = page.get("next").isNull() ? null : page.get("next").asString();
        } while (cursor != null);
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
