package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.ReadMode;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.time.RandomSource;
import org.sediment.router.ssd.SsdGroupClient;

/**
 * A group under the load a review used to exhaust a replica: strong reads of timelines that do
 * not exist, and writes spread over many weeks of item time. The core keeps no state for the
 * absent timelines, open segments stay within their bound, and the process's file descriptors
 * stop growing once the bound is reached. {@code -Dsediment.long=true} runs ten times longer.
 */
class SsdNodeResourcesTest {
    private static final int WEEKS = 30;
    private static final long WEEK_MS = 7 * 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void readsOfAbsentTimelinesAndWritesOverManyWeeksKeepStateAndDescriptorsFlat() throws Exception {
        int rounds = Boolean.getBoolean("sediment.long") ? 30 : 3;
        try (EmbeddedSsdGroup group = EmbeddedSsdGroup.start(21, 3, dir,
                c -> c.withSegments(c.segments().withMaxOpenSegments(c.segments().hotSegments() + 6)));
             RpcClient rpc = new RpcClient(RpcClientConfig.defaults(), SsdNode.registry())) {
            SsdGroupClient client = new SsdGroupClient(group.addresses(), rpc, 0, 10_000, 3, 10);
            RandomSource random = RandomSource.seeded(21);
            long now = System.currentTimeMillis();
            long descriptorsAfterFirstRound = 0;
            long absent = 1L << 40;
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < 60; i++) {
                    long ts = now - random.nextInt(WEEKS) * WEEK_MS - random.nextInt(1_000);
                    WriteRequest write = new WriteRequest(1 + random.nextInt(50), WriteKind.APPEND, -1, ts, 0, new byte[64]);
                    assertThat(client.write(write).status()).isEqualTo(WriteStatus.OK);
                }
                for (int i = 0; i < 500; i++) {
                    assertThat(client.page(PageRequest.newest(absent++, ReadMode.STRONG, 10)).items()).isEmpty();
                }
                if (round == 0) {
                    descriptorsAfterFirstRound = openDescriptors();
                }
            }
            for (int node = 0; node < 3; node++) {
                SsdNode n = group.node(node);
                assertThat(n.store().openSegmentCount()).isLessThanOrEqualTo(n.config().segments().maxOpenSegments());
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> n.health().coreTimelines() <= 50);
            }
            long descriptors = openDescriptors();
            System.out.printf("SsdNodeResourcesTest: %d rounds, %d absent timelines read, open descriptors %d after the "
                    + "first round and %d at the end%n", rounds, absent - (1L << 40), descriptorsAfterFirstRound, descriptors);
            assertThat(descriptors).isLessThanOrEqualTo(descriptorsAfterFirstRound + 60);
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
