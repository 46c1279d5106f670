package org.sediment.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.RawFrames;
import org.sediment.common.testing.TestBuffers;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.Pong;

/**
 * Idle and half-sent connections, and connections beyond the limit, against a real server on
 * loopback. Raw blocking sockets play the misbehaving peers; they wait for the server's close
 * (end of stream), bounded by a generous socket timeout so a server that never closes fails the
 * test instead of hanging it. No timing assertions: the close reasons are read from the stats.
 */
@ExtendWith(NoLeaks.class)
class ConnectionBoundsLoopbackTest {
    private static final long SHORT_MS = 300;
    private static final long LONG_MS = 60_000;
    private static final int GENEROUS_MS = 30_000;
    private static final Duration GENEROUS = Duration.ofMillis(GENEROUS_MS);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws IOException {
        RpcServer server = startServer(RpcServerConfig.loopback(0).withIdleTimeoutMs(SHORT_MS).withFrameTimeoutMs(LONG_MS));
        Socket silent = connect(server);
        assertThat(silent.getInputStream().read()).as("end of stream").isEqualTo(-1);
        await().atMost(GENEROUS).until(() -> server.stats().openConnections() == 0);
        assertThat(server.stats().connectionsClosedIdle()).isEqualTo(1);
        assertThat(server.stats().connectionsClosedFrameTimeout()).isZero();
    }

    @Test
    void aConnectionThatSendsHalfAFrameHeaderIsClosedAfterTheFrameTimeout() throws IOException {
        RpcServer server = startServer(RpcServerConfig.loopback(0).withIdleTimeoutMs(LONG_MS).withFrameTimeoutMs(SHORT_MS));
        Socket slow = connect(server);
        slow.getOutputStream().write(Arrays.copyOf(ping(1), FrameHeader.HEADER_BYTES / 2));
        slow.getOutputStream().flush();
        assertThat(slow.getInputStream().read()).as("end of stream").isEqualTo(-1);
        await().atMost(GENEROUS).until(() -> server.stats().openConnections() == 0);
        assertThat(server.stats().connectionsClosedFrameTimeout()).isEqualTo(1);
        assertThat(server.stats().connectionsClosedIdle()).isZero();
        assertThat(server.stats().unexpectedExceptions()).isZero();
    }

    @Test
    void aClientCallingMoreOftenThanTheIdleTimeoutKeepsItsConnection() throws InterruptedException {
        long idleMs = 1_000;
        RpcServer server = startServer(RpcServerConfig.loopback(0).withIdleTimeoutMs(idleMs).withFrameTimeoutMs(SHORT_MS));
        RpcClient client = track(new RpcClient(RpcClientConfig.defaults().withConnectionsPerPeer(1), Blob.registry()));
        for (long nonce = 0; nonce < 25; nonce++) {
            assertThat(ping(client, server, nonce)).isEqualTo(new RpcOutcome.Success<>(new Pong(nonce), 0));
            Thread.sleep(idleMs / 10); // time passing is the point: 2.5 idle timeouts in all
        }
        assertThat(server.stats().connectionsAccepted()).isEqualTo(1);
        assertThat(server.stats().connectionsClosedIdle()).isZero();
    }

    @Test
    void aClientWhoseIdleConnectionTheServerClosedReconnectsOnItsNextCall() {
        RpcServer server = startServer(RpcServerConfig.loopback(0).withIdleTimeoutMs(SHORT_MS));
        RpcClient client = track(new RpcClient(RpcClientConfig.defaults().withConnectionsPerPeer(1), Blob.registry()));
        assertThat(ping(client, server, 1)).isEqualTo(new RpcOutcome.Success<>(new Pong(1), 0));
        await("the server closed the idle connection and the client saw it").atMost(GENEROUS)
                .until(() -> server.stats().connectionsClosedIdle() == 1 && client.activeConnections() == 0);
        assertThat(ping(client, server, 2)).isEqualTo(new RpcOutcome.Success<>(new Pong(2), 0));
        assertThat(server.stats().connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void aConnectionBeyondTheLimitIsClosedAtOnceAndAClosedOneFreesItsPlace() throws IOException {
        RpcServer server = startServer(RpcServerConfig.loopback(0).withMaxConnections(2));
        Socket first = connect(server);
        Socket second = connect(server);
        assertPingAnswered(first, 1);
        assertPingAnswered(second, 2);

        Socket third = connect(server);
        assertThat(third.getInputStream().read()).as("end of stream").isEqualTo(-1);
        assertThat(server.stats().connectionsRejectedOverLimit()).isEqualTo(1);
        assertPingAnswered(first, 3); // the admitted ones are untouched

        first.close();
        await().atMost(GENEROUS).until(() -> server.stats().openConnections() == 1);
        Socket fourth = connect(server);
        assertPingAnswered(fourth, 4);
        assertThat(server.stats().connectionsAccepted()).isEqualTo(3);
        assertThat(server.stats().connectionsRejectedOverLimit()).isEqualTo(1);
    }

    private RpcServer startServer(RpcServerConfig config) {
        RpcServer server = track(RpcServer.builder(config, Blob.registry())
                .handle(RpcMethod.PING, (request, header) -> RpcOutcome.success(new Pong(request.nonce())))
                .build());
        server.start();
        return server;
    }

    private Socket connect(RpcServer server) throws IOException {
        InetSocketAddress address = server.boundAddress();
        Socket socket = track(new Socket(address.getAddress(), address.getPort()));
        socket.setSoTimeout(GENEROUS_MS); // a server that never closes fails the test instead of hanging it
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static byte[] ping(long requestId) {
        return RawFrames.encode(new Frame(
                new FrameHeader(FrameKind.REQUEST, requestId, BuiltinMessages.PING.id(), 0, 0, 0),
                BuiltinMessages.PING, new Ping(requestId)));
    }

    /** Sends a ping over a raw socket and reads one whole frame back: the Pong to that request. */
    private static void assertPingAnswered(Socket socket, long requestId) throws IOException {
        socket.getOutputStream().write(ping(requestId));
        socket.getOutputStream().flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length = in.readInt();
        byte[] rest = new byte[length];
        in.readFully(rest);
        ByteBuf bytes = TestBuffers.untracked();
        try {
            bytes.writeInt(length).writeBytes(rest);
            Frame reply = new FrameDecoder(Blob.registry(), new FrameLimits(FrameLimits.MAX_FRAME_BYTES_CEILING))
                    .tryDecode(bytes);
            assertThat(reply.header().kind()).isEqualTo(FrameKind.RESPONSE);
            assertThat(reply.header().requestId()).isEqualTo(requestId);
            assertThat(reply.message()).isEqualTo(new Pong(requestId));
        } finally {
            bytes.release();
        }
    }

    private static RpcOutcome<Pong> ping(RpcClient client, RpcServer server, long nonce) {
        return client.call(server.boundAddress(), RpcMethod.PING, new Ping(nonce), CallOptions.of(0, GENEROUS_MS)).join();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
