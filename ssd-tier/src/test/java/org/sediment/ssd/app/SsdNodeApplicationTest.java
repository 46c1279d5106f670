package org.sediment.ssd.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.iq80.leveldb.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.router.ssd.SsdGroupClient;
import org.sediment.ssd.node.SsdNode;
import org.sediment.ssd.storage.SegmentPolicy;
import org.springframework.context.ConfigurableApplicationContext;

/** The deployable process: a one-replica group booted by Spring, probed over real HTTP and Netty. */
class SsdNodeApplicationTest {

    @TempDir
    Path dir;

    @Test
    void servesDataHealthAndMetrics() throws Exception {
        int dataPort;
        int peerPort;
        try (ServerSocket socket = new ServerSocket(0); ServerSocket peerSocket = new ServerSocket(0)) {
            dataPort = socket.getLocalPort();
            peerPort = peerSocket.getLocalPort();
        }
        Path keyFile = dir.resolve("peer.key");
        org.sediment.ssd.node.PeerKey.generate().write(keyFile);
        try (ConfigurableApplicationContext context = SsdNodeApplication.application().run(
                "--server.port=0", "--sediment.ssd.group-id=5", "--sediment.ssd.node-index=0",
                "--sediment.ssd.members=127.0.0.1:" + dataPort, "--sediment.ssd.peers=127.0.0.1:" + peerPort,
                "--sediment.ssd.peer-key-file=" + keyFile, "--sediment.ssd.data-dir=" + dir.resolve("data"),
                "--sediment.ssd.segments.days=1", "--sediment.ssd.segments.cold-compression=none",
                "--sediment.ssd.segments.write-buffer-bytes=262144",
                "--sediment.ssd.segments.max-open-segments=12");
             HttpClient http = HttpClient.newHttpClient();
             RpcClient rpc = new RpcClient(RpcClientConfig.defaults(), SsdNode.registry())) {
            context.getBean(SsdNode.class).awaitReady(30_000);
            SegmentPolicy segments = context.getBean(SsdNode.class).config().segments();
            assertThat(segments.segmentMillis()).isEqualTo(86_400_000L);
            assertThat(segments.coldCompression()).isEqualTo(CompressionType.NONE);
            assertThat(segments.writeBufferBytes()).isEqualTo(262_144);
            assertThat(segments.maxOpenSegments()).isEqualTo(12);
            assertThat(segments.hotBlockBytes()).as("unset: the default").isEqualTo(SegmentPolicy.weekly().hotBlockBytes());
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");

            SsdGroupClient client = new SsdGroupClient(List.of(new java.net.InetSocketAddress("127.0.0.1", dataPort)), rpc,
                    0, 5_000, 1, 0);
            assertThat(client.write(new WriteRequest(9, WriteKind.APPEND, -1, 1_000, 0, new byte[] {1})).status())
                    .isEqualTo(WriteStatus.OK);

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("VOTING");

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("sediment_ssd_voting 1.0").contains("sediment_ssd_log_fsyncs_total");
        }
    }
}
