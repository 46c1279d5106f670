package org.sediment.router.ssd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.rpc.RpcServer;
import org.sediment.common.rpc.RpcServerConfig;
import org.sediment.common.wire.MessageRegistry;

/**
 * A hung replica (it accepts connections and never answers, as a stopped process does) against
 * a group client with hedging and failure accrual: no call waits out the timeout, the replica is
 * avoided after a few calls, and every call still succeeds. With hedging off, the same replica
 * costs the full timeout: the test of the key step switched off.
 */
class HedgingTest {
    private static final long TIMEOUT_MS = 2_000;
    private static final MessageRegistry REGISTRY = MessageRegistry.builder().registerAll(SsdApi.ALL).build();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger served = new AtomicInteger();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void aHungReplicaCostsAHedgingDelayNotTheTimeout() throws Exception {
        InetSocketAddress hung = hungReplica();
        List<InetSocketAddress> replicas = List.of(hung, answering(), answering());
        RpcClient rpc = client();
        ReplicaBoard board = new ReplicaBoard(rpc, ReplicaBoard.Settings.defaults());
        toClose.add(board);
        SsdGroupClient group = new SsdGroupClient(replicas, rpc, 0,
                new SsdCallPolicy(TIMEOUT_MS, 3, 50, true, 0.99, 2_000), board);
        long slowestMs = 0;
        for (long timeline = 0; timeline < 300; timeline++) {
            long start = System.nanoTime();
            WriteReply reply = group.write(append(timeline));
            slowestMs = Math.max(slowestMs, (System.nanoTime() - start) / 1_000_000);
            assertThat(reply.status()).isEqualTo(WriteStatus.OK);
        }
        assertThat(served.get()).isGreaterThanOrEqualTo(300);
        assertThat(board.avoided(hung)).isTrue();
        assertThat(board.avoidances()).isGreaterThanOrEqualTo(1);
        // The timeout is 2 s; a hedge goes out after the recent p99 (≥ 2 ms) and a hung replica
        // is avoided after two strikes. Half the timeout leaves room for a slow machine.
        assertThat(slowestMs).isLessThan(TIMEOUT_MS / 2);
    }

    @Test
    void withoutHedgingAHungReplicaCostsTheTimeout() throws Exception {
        InetSocketAddress hung = hungReplica();
        RpcClient rpc = client();
        SsdGroupClient group = new SsdGroupClient(List.of(hung, answering(), answering()), rpc, 0, TIMEOUT_MS, 3, 50);
        long timeline = firstOn(group, 0);
        long start = System.nanoTime();
        assertThat(group.write(append(timeline)).status()).isEqualTo(WriteStatus.OK);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(TIMEOUT_MS - 10);
    }

    @Test
    void anAvoidedReplicaComesBackOnceItAnswersAProbe() throws Exception {
        InetSocketAddress healthy = answering();
        RpcClient rpc = client();
        ReplicaBoard board = new ReplicaBoard(rpc, new ReplicaBoard.Settings(2, 20, 500));
        toClose.add(board);
        board.struck(healthy);
        board.struck(healthy);
        assertThat(board.avoided(healthy)).isTrue();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (board.avoided(healthy) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(board.avoided(healthy)).isFalse();
    }

    private static long firstOn(SsdGroupClient group, int replica) {
        long timeline = 0;
        while (group.firstReplica(timeline) != replica) {
            timeline++;
        }
        return timeline;
    }

    private static WriteRequest append(long timeline) {
        return new WriteRequest(timeline, WriteKind.APPEND, SsdApi.UNCONDITIONAL, 1_000, 0, new byte[] {1});
    }

    private RpcClient client() {
        RpcClient rpc = new RpcClient(RpcClientConfig.defaults().withConnectionsPerPeer(1), REGISTRY);
        toClose.add(rpc);
        return rpc;
    }

    /** A replica that answers every write OK at once. */
    private InetSocketAddress answering() {
        RpcServer server = RpcServer.builder(RpcServerConfig.loopback(0), REGISTRY)
                .handle(SsdApi.WRITE, (request, header) -> {
                    served.incrementAndGet();
                    return RpcOutcome.success(WriteReply.ok(1, 0));
                })
                .build();
        toClose.add(server);
        return server.start();
    }

    /** Accepts connections and never reads or answers: a stopped process whose sockets stay open. */
    private InetSocketAddress hungReplica() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(socket);
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    held.add(socket.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }
}
