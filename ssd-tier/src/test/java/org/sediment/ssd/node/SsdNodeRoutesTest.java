package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.wire.ErrorCode;
import org.sediment.router.config.RouteConfigException;
import org.sediment.router.ssd.SsdCallException;
import org.sediment.router.ssd.SsdGroupClient;

/** A node told a route document answers requests with older routes STALE_ROUTE and the version to load. */
class SsdNodeRoutesTest {

    @TempDir
    Path dir;

    @Test
    void requestsWithOlderRoutesAreAnsweredStaleRouteWithTheNodesVersionAsItReloads() throws Exception {
        Path routes = writeRoutes(5);
        try (EmbeddedSsdGroup group = EmbeddedSsdGroup.start(8, 1, dir.resolve("group"), c -> c.withRoutesFile(routes));
             RpcClient rpc = new RpcClient(RpcClientConfig.defaults(), SsdNode.registry())) {
            group.node(0).awaitReady(30_000);
            assertThat(client(group, rpc, 5).write(append(1)).status()).isEqualTo(WriteStatus.OK);
            assertThatThrownBy(() -> client(group, rpc, 4).write(append(2)))
                    .isInstanceOfSatisfying(SsdCallException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.STALE_ROUTE);
                        assertThat(e.serverRouteVersion()).isEqualTo(5);
                    });

            writeRoutes(6);
            // Writes with the old routes go on until the node has reloaded: then they are refused.
            SsdCallException stale = await("the node reloads routes version 6").atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> rejectionOf(client(group, rpc, 5), append(3)),
                            e -> e != null && e.code() == ErrorCode.STALE_ROUTE);
            assertThat(stale.serverRouteVersion()).isEqualTo(6);
            assertThat(client(group, rpc, 6).write(append(4)).status()).isEqualTo(WriteStatus.OK);
        }
    }

    @Test
    void aNodeWhoseRouteDocumentIsMissingDoesNotStart() {
        NodeConfig config = NodeConfig.defaults(8, 0, List.of(new java.net.InetSocketAddress("127.0.0.1", 0)),
                List.of(new java.net.InetSocketAddress("127.0.0.1", 0)), PeerKey.generate(), dir.resolve("data"))
                .withRoutesFile(dir.resolve("absent.yaml"));
        assertThatThrownBy(() -> SsdNode.start(config)).isInstanceOf(RouteConfigException.class)
                .hasMessageContaining("absent.yaml");
    }

    /** The exception a write fails with, or null if the node took it. */
    private static SsdCallException rejectionOf(SsdGroupClient client, WriteRequest write) {
        try {
            client.write(write);
            return null;
        } catch (SsdCallException e) {
            return e;
        }
    }

    private static SsdGroupClient client(EmbeddedSsdGroup group, RpcClient rpc, long routeVersion) {
        return new SsdGroupClient(group.addresses(), rpc, routeVersion, 10_000, 1, 0);
    }

    private static WriteRequest append(int value) {
        return new WriteRequest(11, WriteKind.APPEND, -1, 1_700_000_000_000L, 0, new byte[] {(byte) value});
    }

    private static String tier(String name, int basePort, int members) {
        StringBuilder yaml = new StringBuilder("  " + name + ":\n    - id: 0\n      members:\n");
        for (int m = 0; m < members; m++) {
            yaml.append("        - { address: 127.0.0.1:").append(basePort + m).append(", campus: ")
                    .append((char) ('a' + m)).append(" }\n");
        }
        return yaml.toString();
    }

    /** A minimal valid route document of the given version, written atomically. */
    private Path writeRoutes(long version) throws IOException {
        String yaml = "version: " + version + "\n"
                + "buckets: 4096\n"
                + "blockWindowMillis: 86400000\n"
                + "timeSplits:\n  memoryMaxAgeMillis: 259200000\n  sinkAgeMillis: 7776000000\n"
                + "trafficRatio:\n  memory: 0.75\n"
                + "tiers:\n"
                + tier("ssd", 7000, 3) + tier("memory", 8000, 2) + tier("hdd", 9000, 3);
        Path file = dir.resolve("routes.yaml");
        Path temp = dir.resolve("routes.yaml.tmp");
        Files.writeString(temp, yaml);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
