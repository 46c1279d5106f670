package org.sediment.hdd.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.hdd.BlockBytes;
import org.sediment.common.api.hdd.BlockRead;
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.block.Block;
import org.sediment.common.block.BlockItem;
import org.sediment.common.block.ColdLink;
import org.sediment.common.block.DiskLayout;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.router.hdd.HddGroupWriter;
import org.springframework.context.ConfigurableApplicationContext;

/** The deployable process: booted by Spring with two disks, written to and read over Netty, probed over HTTP. */
class HddNodeApplicationTest {
    @TempDir
    Path dir;

    @Test
    void servesBlocksHealthAndMetrics() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext context = HddNodeApplication.application().run("--server.port=0",
                "--sediment.hdd.group=0", "--sediment.hdd.node=0", "--sediment.hdd.address=127.0.0.1:" + port,
                "--sediment.hdd.disks=" + dir.resolve("d0") + "," + dir.resolve("d1"));
             HttpClient http = HttpClient.newHttpClient();
             RpcClient rpc = new RpcClient(RpcClientConfig.defaults(), MessageRegistry.builder().registerAll(HddApi.ALL).build())) {
            InetSocketAddress node = new InetSocketAddress("127.0.0.1", port);
            ColdLink link = new HddGroupWriter(rpc, new DiskLayout(65_536, 2), 10_000).write(0, List.of(node),
                    new Block(9, 3), List.of(new BlockItem(1, 1_000, 1, new byte[] {1, 2, 3})));
            RpcOutcome<BlockBytes> read = rpc.call(node, HddApi.READ,
                    new BlockRead(link.disk(), link.file(), link.offset(), link.length()), CallOptions.of(0, 10_000)).join();
            assertThat(read).isInstanceOf(RpcOutcome.Success.class);

            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("repairsFailed");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("sediment_hdd_block_reads_total 1.0").contains("sediment_hdd_block_writes_total 1.0")
                    .contains("sediment_hdd_disk_reads_per_block_read 1.0");
        }
    }
}
