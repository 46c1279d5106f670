package org.sediment.common.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameEncoder;
import org.sediment.common.wire.MessageRegistry;

/**
 * A Netty RPC server. Pipeline per connection, in order:
 * {@link FrameDecoder} → {@link IdleTimeoutHandler} → {@link FrameTimeoutHandler} →
 * {@link FrameEncoder} → {@link BackpressureHandler} → {@link RequestDispatcher} (business) →
 * {@link ServerErrorHandler} (every exception ends here). A connection beyond
 * {@code maxConnections} gets no pipeline: {@link ConnectionLimit} closes it at once.
 *
 * <p>Handlers run on virtual threads (one per request, bounded by {@code maxQueuedRequests}), never
 * on the event loop. The route version is read through a supplier on every request, so a route
 * reload takes effect at once without touching the server.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once; a restarted server is a new instance.
 */
public final class RpcServer implements AutoCloseable {
    private final RpcServerConfig config;
    private final MessageRegistry registry;
    private final NettyTransport transport;
    private final RpcServerStats stats = new RpcServerStats();
    private final RequestDispatcher dispatcher;
    private final ServerErrorHandler errorHandler;
    private final BackpressureHandler backpressure = new BackpressureHandler();
    private final ConnectionLimit connectionLimit;
    private final ExecutorService handlerExecutor;
    private final ChannelGroup channels = new DefaultChannelGroup("rpc-server", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup eventLoops;
    private Channel serverChannel;
    private boolean closed;

    /** Names this server's threads: log lines say whose they are. */
    private final String threadName;

    private RpcServer(Builder builder) {
        this.config = builder.config;
        this.registry = builder.registry;
        this.transport = builder.transport;
        this.threadName = builder.threadName;
        this.handlerExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadName + "-handler").factory());
        this.dispatcher = new RequestDispatcher(builder.routes, builder.routeVersion, handlerExecutor,
                config.maxQueuedRequests(), stats);
        this.errorHandler = new ServerErrorHandler(builder.routeVersion, stats);
        this.connectionLimit = new ConnectionLimit(config.maxConnections(), stats);
    }

    public static Builder builder(RpcServerConfig config, MessageRegistry registry) {
        return new Builder(config, registry);
    }

    /** Binds and starts serving; returns the bound address (the real port if config said 0). */
    public synchronized InetSocketAddress start() {
        if (eventLoops != null || closed) {
            throw new IllegalStateException("a server starts once; restart with a new instance");
        }
        eventLoops = transport.newEventLoopGroup(config.ioThreads(), threadName);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(eventLoops)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferHighBytes() / 2, config.writeBufferHighBytes()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (!connectionLimit.admit(channel)) {
                            return;
                        }
                        channels.add(channel);
                        ChannelPipeline pipeline = channel.pipeline();
                        FrameDecoder decoder = new FrameDecoder(registry, config.frameLimits());
                        pipeline.addLast("decoder", decoder);
                        pipeline.addLast("idleTimeout", new IdleTimeoutHandler(config.idleTimeoutMs(), stats));
                        pipeline.addLast("frameTimeout", new FrameTimeoutHandler(decoder, config.frameTimeoutMs(), stats));
                        pipeline.addLast("encoder", new FrameEncoder(config.frameLimits()));
                        pipeline.addLast("backpressure", backpressure);
                        pipeline.addLast("dispatcher", dispatcher);
                        pipeline.addLast("errors", errorHandler);
                    }
                });
        warmHandlerThreads();
        try {
            serverChannel = bootstrap.bind(config.bindHost(), config.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownEventLoops();
            throw e;
        }
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Runs one empty handler task before the first request. The first virtual thread a JVM
     * starts loads classes that invalidate compiled code which assumed they did not exist
     * (measured: some 50 hot methods, the store's and the log's among them, deoptimized at once).
     * Paid here, that happens before the JIT compiles anything hot, not under the first load.
     */
    private void warmHandlerThreads() {
        CountDownLatch ran = new CountDownLatch(1);
        handlerExecutor.execute(ran::countDown); // as the dispatcher hands over requests
        try {
            ran.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The address {@link #start()} bound; stays readable after {@link #close()}. */
    public synchronized InetSocketAddress boundAddress() {
        if (serverChannel == null) {
            throw new IllegalStateException("server not started");
        }
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public RpcServerStats stats() {
        return stats;
    }

    public NettyTransport transport() {
        return transport;
    }

    /**
     * Stops accepting, closes every connection, waits for the event loops and handlers to end.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly();
        handlerExecutor.shutdown();
        shutdownEventLoops();
        try {
            handlerExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownEventLoops() {
        if (eventLoops != null) {
            eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Collects handlers; a request type can have one handler only. */
    public static final class Builder {
        private final RpcServerConfig config;
        private final MessageRegistry registry;
        private final Map<Integer, Route<?, ?>> routes = new HashMap<>();
        private LongSupplier routeVersion = () -> 0L;
        private NettyTransport transport = NettyTransport.best();
        private String threadName = "rpc-server";

        private Builder(RpcServerConfig config, MessageRegistry registry) {
            this.config = config;
            this.registry = registry;
        }

        public <Q, R> Builder handle(RpcMethod<Q, R> method, RequestHandler<Q, R> handler) {
            return add(new Route<>(method, handler));
        }

        /** A handler that runs on the event loop and must not block; see {@link AsyncRequestHandler}. */
        public <Q, R> Builder handleAsync(RpcMethod<Q, R> method, AsyncRequestHandler<Q, R> handler) {
            return add(new Route<>(method, handler));
        }

        private Builder add(Route<?, ?> route) {
            RpcMethod<?, ?> method = route.method();
            if (registry.find(method.request().id()) != method.request()
                    || registry.find(method.response().id()) != method.response()) {
                throw new IllegalArgumentException(method + " uses message types missing from the registry");
            }
            if (routes.putIfAbsent(method.request().id(), route) != null) {
                throw new IllegalArgumentException("a handler for " + method.request() + " is already registered");
            }
            return this;
        }

        /** The server's current route version; read on every request. */
        public Builder routeVersion(LongSupplier current) {
            this.routeVersion = current;
            return this;
        }

        /** Names the server's event-loop and handler threads (default {@code rpc-server}), for logs. */
        public Builder threadName(String name) {
            this.threadName = name;
            return this;
        }

        /** Overrides {@link NettyTransport#best()}, e.g. to test NIO on a machine with epoll. */
        public Builder transport(NettyTransport chosen) {
            this.transport = chosen;
            return this;
        }

        /** Every server answers {@link RpcMethod#PING} (on its event loop) unless a handler of its own is set. */
        public RpcServer build() {
            if (!routes.containsKey(RpcMethod.PING.request().id())) {
                handleAsync(RpcMethod.PING, (ping, header) -> java.util.concurrent.CompletableFuture.completedFuture(
                        RpcOutcome.success(new org.sediment.common.wire.Pong(ping.nonce()))));
            }
            return new RpcServer(this);
        }
    }
}
