package org.sediment.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.Seeds;
import org.sediment.common.time.Clock;
import org.sediment.common.time.ManualClock;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.Pong;

/** Real server and client on loopback. No timing assertions: only outcomes. */
@ExtendWith({NoLeaks.class, Seeds.class})
class RpcLoopbackTest {
    private static final long GENEROUS_TIMEOUT_MS = 30_000;

    private final AtomicLong routeVersion = new AtomicLong(5);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void concurrentCallsOnSeveralConnectionsGetTheirOwnAnswers() {
        RpcServer server = startServer(RpcServerConfig.loopback(0));
        // 4 000 calls are fired before the first reply can arrive: room for all of them in flight.
        RpcClient client = client(RpcClientConfig.defaults().withConnectionsPerPeer(3).withMaxInFlightPerConnection(4_000));
        InetSocketAddress address = address(server);
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        List<Long> nonces = new ArrayList<>();
        List<Blob> blobs = new ArrayList<>();
        List<CompletableFuture<RpcOutcome<Pong>>> pings = new ArrayList<>();
        List<CompletableFuture<RpcOutcome<Blob>>> echoes = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            long nonce = random.nextLong();
            nonces.add(nonce);
            pings.add(client.call(address, RpcMethod.PING, new Ping(nonce), CallOptions.of(0, GENEROUS_TIMEOUT_MS)));
            byte[] data = new byte[random.nextInt(2_000)];
            random.nextBytes(data);
            Blob blob = new Blob(random.nextLong(), "b" + i, data);
            blobs.add(blob);
            echoes.add(client.call(address, Blob.ECHO, blob, CallOptions.of(5, GENEROUS_TIMEOUT_MS)));
        }
        for (int i = 0; i < pings.size(); i++) {
            assertThat(pings.get(i).join()).isEqualTo(new RpcOutcome.Success<>(new Pong(nonces.get(i)), 5));
            assertThat(echoes.get(i).join()).isEqualTo(new RpcOutcome.Success<>(blobs.get(i), 5));
        }
        assertThat(server.stats().requestsServed()).isEqualTo(4_000);
        assertThat(server.stats().unexpectedExceptions()).isZero();
    }

    @Test
    void aCallWithoutAnAnswerInTimeIsATimeoutAndTheConnectionKeepsWorking() {
        RpcServer server = startServer(RpcServerConfig.loopback(0));
        RpcClient client = client(RpcClientConfig.defaults().withConnectionsPerPeer(1));
        RpcOutcome<Blob> blocked = client.call(address(server), Blob.ECHO, blocking(), CallOptions.of(5, 100)).join();
        assertThat(blocked).isEqualTo(RpcOutcome.Failure.local(ErrorCode.TIMEOUT, "no reply within 100 ms"));
        release.countDown(); // the late reply arrives and is dropped
        assertThat(ping(client, server, 7)).isEqualTo(new RpcOutcome.Success<>(new Pong(7), 5));
    }

    @Test
    void theInFlightBoundRejectsFastAndTheAdmittedCallsComplete() {
        RpcServer server = startServer(RpcServerConfig.loopback(0));
        RpcClient client = client(RpcClientConfig.defaults().withConnectionsPerPeer(1).withMaxInFlightPerConnection(4));
        connect(client, server);
        List<CompletableFuture<RpcOutcome<Blob>>> admitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            admitted.add(client.call(address(server), Blob.ECHO, blocking(), CallOptions.of(5, GENEROUS_TIMEOUT_MS)));
        }
        RpcOutcome<Blob> fifth = client.call(address(server), Blob.ECHO, blocking(),
                CallOptions.of(5, GENEROUS_TIMEOUT_MS)).join();
        assertThat(fifth).isInstanceOfSatisfying(RpcOutcome.Failure.class, failure -> {
            assertThat(failure.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(failure.origin()).isEqualTo(RpcOutcome.Origin.LOCAL);
        });
        release.countDown();
        for (CompletableFuture<RpcOutcome<Blob>> call : admitted) {
            assertThat(call.join()).isEqualTo(new RpcOutcome.Success<>(blocking(), 5));
        }
    }

    @Test
    void aServerWithAFullQueueAnswersOverloaded() {
        RpcServer server = startServer(RpcServerConfig.loopback(0).withMaxQueuedRequests(2));
        RpcClient client = client(RpcClientConfig.defaults().withConnectionsPerPeer(1));
        connect(client, server);
        List<CompletableFuture<RpcOutcome<Blob>>> queued = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            queued.add(client.call(address(server), Blob.ECHO, blocking(), CallOptions.of(5, GENEROUS_TIMEOUT_MS)));
        }
        RpcOutcome<Blob> third = client.call(address(server), Blob.ECHO, blocking(),
                CallOptions.of(5, GENEROUS_TIMEOUT_MS)).join();
        assertThat(third).isEqualTo(new RpcOutcome.Failure<>(ErrorCode.OVERLOADED, "maxQueuedRequests 2 reached", 5,
                RpcOutcome.Origin.PEER));
        release.countDown();
        queued.forEach(call -> assertThat(call.join()).isInstanceOf(RpcOutcome.Success.class));
        assertThat(server.stats().rejectedOverloaded()).isEqualTo(1);
    }

    @Test
    void anOlderRouteVersionIsAnsweredWithTheCurrentOne() {
        RpcServer server = startServer(RpcServerConfig.loopback(0));
        RpcClient client = client(RpcClientConfig.defaults());
        Blob blob = new Blob(1, "x", new byte[] {9});
        RpcOutcome<Blob> stale = client.call(address(server), Blob.ECHO, blob, CallOptions.of(4, GENEROUS_TIMEOUT_MS)).join();
        assertThat(stale).isEqualTo(new RpcOutcome.Failure<>(ErrorCode.STALE_ROUTE, "route version 4 is older than 5",
                5, RpcOutcome.Origin.PEER));
        long fresh = ((RpcOutcome.Failure<Blob>) stale).currentRouteVersion();
        assertThat(client.call(address(server), Blob.ECHO, blob, CallOptions.of(fresh, GENEROUS_TIMEOUT_MS)).join())
                .isEqualTo(new RpcOutcome.Success<>(blob, 5));
    }

    @Test
    void theClientReconnectsAfterTheServerRestarts() {
        RpcServer first = startServer(RpcServerConfig.loopback(0));
        int port = address(first).getPort();
        RpcClient client = client(RpcClientConfig.defaults().withConnectionsPerPeer(2).withReconnectBackoffMs(0));
        assertThat(ping(client, first, 1)).isInstanceOf(RpcOutcome.Success.class);
        assertThat(ping(client, first, 2)).isInstanceOf(RpcOutcome.Success.class);
        first.close();

        RpcOutcome<Pong> whileDown = ping(client, first, 3);
        assertThat(whileDown).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE));

        RpcServer second = startServer(RpcServerConfig.loopback(port));
        // Each slot notices its dead connection on its next call and reconnects: keep calling
        // until the restarted server has served four calls.
        AtomicLong nonce = new AtomicLong(100);
        AtomicInteger successes = new AtomicInteger();
        await("four calls served by the restarted server").atMost(Duration.ofMillis(GENEROUS_TIMEOUT_MS))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> ping(client, second, nonce.getAndIncrement()) instanceof RpcOutcome.Success<Pong>
                        && successes.incrementAndGet() == 4);
    }

    @Test
    void nobodyListeningIsUnavailableNotATimeout() {
        RpcServer gone = startServer(RpcServerConfig.loopback(0));
        InetSocketAddress address = address(gone);
        gone.close();
        RpcClient client = client(RpcClientConfig.defaults());
        RpcOutcome<Pong> outcome = client.call(address, RpcMethod.PING, new Ping(1),
                CallOptions.of(0, GENEROUS_TIMEOUT_MS)).join();
        assertThat(outcome).isInstanceOfSatisfying(RpcOutcome.Failure.class, failure -> {
            assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(failure.origin()).isEqualTo(RpcOutcome.Origin.LOCAL);
        });
    }

    @Test
    void afterAFailedConnectCallsFailFastUntilTheBackoffHasPassed() {
        RpcServer gone = startServer(RpcServerConfig.loopback(0));
        InetSocketAddress address = address(gone);
        gone.close();
        ManualClock clock = new ManualClock(0);
        RpcClient client = track(new RpcClient(RpcClientConfig.defaults().withConnectionsPerPeer(1)
                .withReconnectBackoffMs(60_000), Blob.registry(), NettyTransport.best(), clock));
        assertThat(pingAt(client, address, 1)).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE));

        startServer(RpcServerConfig.loopback(address.getPort()));
        // Within the backoff the slot does not even try: still the old connect failure.
        assertThat(pingAt(client, address, 2)).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        clock.advanceMillis(60_000);
        assertThat(pingAt(client, address, 3)).isEqualTo(new RpcOutcome.Success<>(new Pong(3), 5));
    }

    @Test
    void nioWorksWhereEpollIsTheDefault() {
        assertThat(NettyTransport.best()).isEqualTo(Epoll.isAvailable() ? NettyTransport.EPOLL : NettyTransport.NIO);
        RpcServer server = track(RpcServer.builder(RpcServerConfig.loopback(0), Blob.registry())
                .handle(RpcMethod.PING, (request, header) -> RpcOutcome.success(new Pong(request.nonce())))
                .transport(NettyTransport.NIO)
                .build());
        server.start();
        RpcClient client = track(new RpcClient(RpcClientConfig.defaults(), Blob.registry(), NettyTransport.NIO,
                Clock.system()));
        assertThat(ping(client, server, 11)).isEqualTo(new RpcOutcome.Success<>(new Pong(11), 0));
    }

    @Test
    void asyncHandlersAnswerWhenTheirStageCompletesFromAnyThreadAndFailuresAreInternal() throws Exception {
        // The handler runs on the event loop and only queues the request; two worker threads
        // complete the stages in an order of their own, as a node's core thread does.
        var work = new java.util.concurrent.LinkedBlockingQueue<Runnable>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread worker = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        work.take().run();
                    }
                } catch (InterruptedException e) {
                    // test over
                }
            });
            workers.add(worker);
        }
        toClose.add(() -> workers.forEach(Thread::interrupt));
        RpcServer server = track(RpcServer.builder(RpcServerConfig.loopback(0), Blob.registry())
                .routeVersion(routeVersion::get)
                .handleAsync(Blob.ECHO, (request, header) -> {
                    switch (request.label()) {
                        case "throw" -> throw new IllegalStateException("handler bug");
                        case "fail" -> {
                            return CompletableFuture.failedFuture(new IllegalStateException("stage failed"));
                        }
                        default -> {
                            CompletableFuture<RpcOutcome<Blob>> reply = new CompletableFuture<>();
                            work.add(() -> reply.complete(RpcOutcome.success(request)));
                            return reply;
                        }
                    }
                })
                .build());
        server.start();
        RpcClient client = client(RpcClientConfig.defaults().withConnectionsPerPeer(2).withMaxInFlightPerConnection(4_000));
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        List<Blob> sent = new ArrayList<>();
        List<CompletableFuture<RpcOutcome<Blob>>> replies = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            byte[] data = new byte[random.nextInt(1_500)];
            random.nextBytes(data);
            Blob blob = new Blob(i, "b" + i, data);
            sent.add(blob);
            replies.add(client.call(address(server), Blob.ECHO, blob, CallOptions.of(5, GENEROUS_TIMEOUT_MS)));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertThat(replies.get(i).join()).isEqualTo(new RpcOutcome.Success<>(sent.get(i), 5));
        }
        for (String label : List.of("throw", "fail")) {
            RpcOutcome<Blob> broken = client.call(address(server), Blob.ECHO, new Blob(1, label, new byte[0]),
                    CallOptions.of(5, GENEROUS_TIMEOUT_MS)).join();
            assertThat(broken).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                    failure -> assertThat(failure.code()).isEqualTo(ErrorCode.INTERNAL));
        }
        assertThat(server.stats().requestsServed()).isEqualTo(3_000);
        assertThat(server.stats().handlerFailures()).isEqualTo(2);
        assertThat(server.stats().unexpectedExceptions()).isZero();
    }

    /** Echo server; a Blob labelled "block" waits for {@link #release} first. */
    private RpcServer startServer(RpcServerConfig config) {
        RpcServer server = track(RpcServer.builder(config, Blob.registry())
                .routeVersion(routeVersion::get)
                .handle(RpcMethod.PING, (request, header) -> RpcOutcome.success(new Pong(request.nonce())))
                .handle(Blob.ECHO, (request, header) -> {
                    if (request.label().equals("block") && !release.await(GENEROUS_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                        return RpcOutcome.reject(ErrorCode.INTERNAL, "test never released the handler");
                    }
                    return RpcOutcome.success(request);
                })
                .build());
        server.start();
        return server;
    }

    private RpcClient client(RpcClientConfig config) {
        return track(new RpcClient(config, Blob.registry()));
    }

    /**
     * Calls that wait for a connection are sent in no particular order once it is up, so tests
     * that depend on send order open the connection first.
     */
    private static void connect(RpcClient client, RpcServer server) {
        assertThat(ping(client, server, 0)).isInstanceOf(RpcOutcome.Success.class);
    }

    private static Blob blocking() {
        return new Blob(1, "block", new byte[0]);
    }

    private static RpcOutcome<Pong> ping(RpcClient client, RpcServer server, long nonce) {
        return client.call(address(server), RpcMethod.PING, new Ping(nonce), CallOptions.of(0, GENEROUS_TIMEOUT_MS)).join();
    }

    private static RpcOutcome<Pong> pingAt(RpcClient client, InetSocketAddress address, long nonce) {
        return client.call(address, RpcMethod.PING, new Ping(nonce), CallOptions.of(0, GENEROUS_TIMEOUT_MS)).join();
    }

    private static InetSocketAddress address(RpcServer server) {
        return server.boundAddress();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
