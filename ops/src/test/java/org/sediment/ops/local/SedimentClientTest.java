package org.sediment.ops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.router.client.ClientSettings;
import org.sediment.router.client.Cursor;
import org.sediment.router.client.FeedPage;
import org.sediment.router.client.Item;
import org.sediment.router.client.ItemRead;
import org.sediment.router.client.ItemRef;
import org.sediment.router.client.Page;
import org.sediment.router.client.RouteSource;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.client.SedimentException;
import org.sediment.router.client.VersionConflictException;
import org.sediment.router.client.Write;
import org.sediment.router.client.Written;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigParser;
import org.sediment.router.config.RouteConfigWriter;
import org.sediment.router.config.Tier;

/** The SDK against a local cluster of two SSD groups (real nodes on loopback, LevelDB on disk). */
class SedimentClientTest {
    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static SedimentClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalClusters.start(dir, 2, false);
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesReadsAndConditionalWrites() {
        long owner = 11;
        Written first = client.append(owner, 1_000, bytes("a"));
        Written second = client.append(owner, 1_000, bytes("b"));
        assertThat(second.version()).isGreaterThan(first.version());
        assertThat(second.seq()).isNotEqualTo(first.seq());
        assertThat(client.get(owner, 1_000, first.seq()).item()).map(i -> text(i)).hasValue("a");

        Written put = client.put(owner, 2_000, 5, bytes("p"));
        assertThat(client.timeline(owner, null, 10).items()).extracting(SedimentClientTest::text).containsExactly("p", "b", "a");
        client.delete(owner, 2_000, 5);
        assertThat(client.get(owner, 2_000, 5).item()).isEmpty();

        long now = client.timeline(owner, null, 1).version();
        assertThat(client.write(Write.append(owner, 3_000, bytes("cas")).ifVersion(now)).version()).isEqualTo(now + 1);
        assertThatThrownBy(() -> client.write(Write.append(owner, 3_000, bytes("late")).ifVersion(now)))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SedimentException.Reason.VERSION_CONFLICT);
                    assertThat(e.actualVersion()).isGreaterThan(now);
                });
        assertThat(put.version()).isPositive();
    }

    @Test
    void aWriteResentWithItsRequestIdAppliesOnce() {
        long owner = 12;
        Write write = Write.append(owner, 5_000, bytes("once")).withRequestId(77);
        Written a = client.write(write);
        Written b = client.write(write);
        assertThat(b).isEqualTo(a);
        assertThat(client.timeline(owner, null, 10).items()).hasSize(1);
    }

    @Test
    void feedsAndBatchGetsSpanBothGroups() {
        RouteConfig routes = client.routes();
        List<Long> owners = new ArrayList<>();
        for (long owner = 100; owners.size() < 6; owner++) {
            owners.add(owner);
        }
        assertThat(owners.stream().map(o -> routes.groupOf(Tier.SSD, o).id()).distinct()).hasSize(2);
        List<ItemRef> refs = new ArrayList<>();
        for (long owner : owners) {
            for (int i = 0; i < 5; i++) {
                Written w = client.append(owner, 10_000 + 10 * i + owner % 7, bytes(owner + ":" + i));
                refs.add(new ItemRef(owner, w.ts(), w.seq()));
            }
        }
        List<Item> seen = new ArrayList<>();
        Cursor cursor = null;
        do {
            FeedPage page = client.feed(owners, cursor, 7);
            seen.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        assertThat(seen).hasSize(30);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).ts()).isLessThanOrEqualTo(seen.get(i - 1).ts());
        }
        List<ItemRead> reads = client.batchGet(refs);
        for (int i = 0; i < refs.size(); i++) {
            assertThat(reads.get(i).item()).map(SedimentClientTest::text)
                    .hasValue(refs.get(i).owner() + ":" + (i % 5));
        }
    }

    @Test
    void badInputIsInvalidBeforeAnyCall() {
        byte[] tooBig = new byte[ClientSettings.DEFAULT_MAX_VALUE_BYTES + 1];
        assertReason(() -> client.append(1, 1_000, tooBig), SedimentException.Reason.INVALID);
        assertReason(() -> client.append(1, -5, bytes("x")), SedimentException.Reason.INVALID);
        assertReason(() -> client.timeline(1, null, 0), SedimentException.Reason.INVALID);
        assertReason(() -> client.timeline(1, Cursor.timeline(2, 5, 5), 10), SedimentException.Reason.INVALID);
        assertReason(() -> client.feed(List.of(), null, 10), SedimentException.Reason.INVALID);
    }

    @Test
    void callsBeyondTheInFlightBoundFailOverloadedAtOnce() {
        try (SedimentClient narrow = SedimentClient.builder(RouteSource.fixed(client.routes()))
                .settings(ClientSettings.defaults().withMaxInFlight(1)).build()) {
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(narrow.appendAsync(13, bytes("n" + i)));
            }
            long overloaded = calls.stream().filter(f -> {
                try {
                    f.join();
                    return false;
                } catch (CompletionException e) {
                    return e.getCause() instanceof SedimentException s && s.reason() == SedimentException.Reason.OVERLOADED;
                }
            }).count();
            assertThat(overloaded).isPositive();
        }
    }

    @Test
    void aStaleRouteIsReloadedAndTheCallRetried() throws Exception {
        RouteConfig v1 = client.routes();
        RouteConfig v2 = withVersion(v1, v1.version() + 1);
        AtomicReference<RouteConfig> current = new AtomicReference<>(v1);
        try (SedimentClient lagging = SedimentClient.builder(current::get).build()) {
            Path file = cluster.routesFile();
            Path temporary = file.resolveSibling("routes.yaml.next");
            Files.writeString(temporary, RouteConfigWriter.toYaml(v2));
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            // The nodes follow the file within a second: until then v1 is still accepted.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                try {
                    lagging.append(14, 1_000, bytes("probe"));
                    return false;
                } catch (SedimentException e) {
                    return e.getMessage().contains("routes are stale");
                }
            });
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                current.set(RouteConfigParser.parse(file));
            });
            assertThat(lagging.append(14, 2_000, bytes("after reload")).version()).isPositive();
            assertThat(current.get().version()).isEqualTo(v2.version());
        }
    }

    private static RouteConfig withVersion(RouteConfig config, long version) {
        java.util.Map<Tier, List<org.sediment.router.config.GroupRoute>> groups = new java.util.EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            groups.put(tier, config.groups(tier));
        }
        return new RouteConfig(version, config.layout(), groups, config.timeSplits(), config.memoryTrafficRatio());
    }

    private static void assertReason(Runnable call, SedimentException.Reason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SedimentException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Item item) {
        return new String(item.value(), StandardCharsets.UTF_8);
    }
}
