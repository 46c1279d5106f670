package org.sediment.common.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.sediment.common.time.Clock;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameEncoder;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.MessageRegistry;

/**
 * A Netty RPC client: one {@link PeerPool} per remote address, request ids unique per client.
 * Pipeline per connection: {@link FrameDecoder} → {@link FrameEncoder} → {@link ResponseCorrelator}.
 *
 * <p>Every call completes normally with an {@link RpcOutcome}; failures are typed
 * ({@code TIMEOUT}, {@code OVERLOADED}, {@code UNAVAILABLE}, or the peer's error code), never an
 * exceptionally completed future. Futures complete on an event loop: continue with
 * {@code *Async} stages before doing anything that blocks.
 *
 * <p>Calls are independent: nothing orders one call's arrival relative to another's (calls that
 * wait for the same connection to open may be sent in any order). A caller that needs order
 * waits for the first outcome before sending the second.
 */
public final class RpcClient implements AutoCloseable {
    private final RpcClientConfig config;
    private final EventLoopGroup eventLoops;
    private final Bootstrap bootstrap;
    private final Clock clock;
    private final ConcurrentHashMap<InetSocketAddress, PeerPool> pools = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private volatile boolean closed;

    public RpcClient(RpcClientConfig config, MessageRegistry registry) {
        this(config, registry, NettyTransport.best(), Clock.system());
    }

    public RpcClient(RpcClientConfig config, MessageRegistry registry, NettyTransport transport, Clock clock) {
        this(config, registry, transport, clock, "rpc-client");
    }

    /** @param threadName names the client's event-loop threads, for logs */
    public RpcClient(RpcClientConfig config, MessageRegistry registry, String threadName) {
        this(config, registry, NettyTransport.best(), Clock.system(), threadName);
    }

    private RpcClient(RpcClientConfig config, MessageRegistry registry, NettyTransport transport, Clock clock,
                      String threadName) {
        this.config = config;
        this.clock = clock;
        this.eventLoops = transport.newEventLoopGroup(config.ioThreads(), threadName);
        this.bootstrap = new Bootstrap()
                .group(eventLoops)
                .channel(transport.clientChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeoutMs())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast("decoder", new FrameDecoder(registry, config.frameLimits()));
                        channel.pipeline().addLast("encoder", new FrameEncoder(config.frameLimits()));
                        channel.pipeline().addLast("correlator", new ResponseCorrelator(config.maxInFlightPerConnection()));
                    }
                });
    }

    /** Calls {@code method} on {@code peer}; the future completes with the typed outcome. */
    public <Q, R> CompletableFuture<RpcOutcome<R>> call(InetSocketAddress peer, RpcMethod<Q, R> method, Q request,
                                                       CallOptions options) {
        if (closed) {
            return CompletableFuture.completedFuture(RpcOutcome.Failure.local(ErrorCode.UNAVAILABLE, "client closed"));
        }
        long requestId = nextRequestId.getAndIncrement();
        FrameHeader header = new FrameHeader(FrameKind.REQUEST, requestId, method.request().id(),
                options.businessPriority(), options.userPriority(), options.routeVersion());
        Frame frame = new Frame(header, method.request(), request);
        PeerPool pool = pools.computeIfAbsent(peer, address -> new PeerPool(address, bootstrap, clock,
                config.connectionsPerPeer(), config.reconnectBackoffMs()));
        return pool.acquire().handle((channel, connectError) -> {
            if (connectError != null) {
                return CompletableFuture.<RpcOutcome<R>>completedFuture(RpcOutcome.Failure.local(
                        ErrorCode.UNAVAILABLE, "no connection to " + peer + ": " + connectError));
            }
            ResponseCorrelator correlator = channel.pipeline().get(ResponseCorrelator.class);
            if (correlator == null) { // closed and its pipeline torn down between acquire and here
                return CompletableFuture.<RpcOutcome<R>>completedFuture(RpcOutcome.Failure.local(
                        ErrorCode.UNAVAILABLE, "connection to " + peer + " closed"));
            }
            return correlator.send(frame, method.response(), options.timeoutMs());
        }).thenCompose(outcome -> outcome);
    }

    /**
     * One of this client's event loops, to run work that should happen off the caller's thread
     * right before a call (e.g. sealing a message): the call then starts on the loop that writes it.
     */
    public java.util.concurrent.Executor eventLoop() {
        return eventLoops.next();
    }

    /** Connections open right now, to all peers. */
    int activeConnections() {
        return pools.values().stream().mapToInt(PeerPool::activeConnections).sum();
    }

    /** Closes every connection (pending calls complete UNAVAILABLE) and stops the event loops. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pools.values().forEach(PeerPool::close);
        eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
