package org.sediment.memory.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.ReadMode;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.block.BlockLayout;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.memory.node.MemoryNode;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigWriter;
import org.sediment.router.config.Tier;
import org.sediment.router.config.TimeSplits;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The deployable process, booted by Spring with its SSD group unreachable: it serves health and
 * metrics, refuses what a memory node does not serve, and answers a read it cannot check with
 * a typed error (the client then reads the SSD tier itself) instead of anything from its cache.
 */
class MemoryNodeApplicationTest {

    @TempDir
    Path dir;

    @Test
    void servesHealthAndMetricsAndNeverAnswersAReadItCouldNotCheck() throws Exception {
        int port = freePort();
        List<Member> deadReplicas = List.of(new Member("127.0.0.1", freePort(), "a"),
                new Member("127.0.0.1", freePort(), "b"), new Member("127.0.0.1", freePort(), "c"));
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, RouteConfigWriter.toYaml(new RouteConfig(1, BlockLayout.defaults(),
                Map.of(Tier.SSD, List.of(new GroupRoute(0, deadReplicas))),
                new TimeSplits(3L * 24 * 3600 * 1000, 90L * 24 * 3600 * 1000), 0.0)), StandardCharsets.UTF_8);
        try (ConfigurableApplicationContext context = MemoryNodeApplication.application().run(
                "--server.port=0", "--sediment.memory.group=0", "--sediment.memory.node=1",
                "--sediment.memory.address=127.0.0.1:" + port, "--sediment.memory.routes-file=" + routes,
                "--sediment.memory.data-dir=" + dir.resolve("node"), "--sediment.memory.budget-mib=8",
                "--sediment.memory.chains=4");
             HttpClient http = HttpClient.newHttpClient();
             RpcClient rpc = new RpcClient(RpcClientConfig.defaults(),
                     MessageRegistry.builder().registerAll(SsdApi.ALL).build())) {
            MemoryNode node = context.getBean(MemoryNode.class);
            assertThat(node.config().budgetBytes()).isEqualTo(8L << 20);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);

            RpcOutcome<?> unchecked = rpc.call(address, SsdApi.PAGE, PageRequest.newest(7, ReadMode.STRONG, 20),
                    CallOptions.of(1, 30_000)).join();
            assertThat(unchecked).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                    f -> assertThat(f.code()).isIn(ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT));
            RpcOutcome<?> older = rpc.call(address, SsdApi.PAGE, PageRequest.olderThan(7, ReadMode.STRONG, 1_000, 0, 20),
                    CallOptions.of(1, 30_000)).join();
            assertThat(older).as("older pages are the SSD tier's").isInstanceOfSatisfying(RpcOutcome.Failure.class,
                    f -> assertThat(f.code()).isEqualTo(ErrorCode.BAD_FRAME));

            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("batchFactor");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("sediment_memory_page_reads_total{group=\"0\",node=\"1\"} 1.0")
                    .contains("sediment_memory_served_from_cache_total{group=\"0\",node=\"1\"} 0.0");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
