package org.sediment.common.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.EncoderException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.ErrorReply;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.WireException;

/**
 * The server's business handler: checks each decoded request (kind, handler, route version,
 * queue room) on the event loop, where that is cheap, and runs a blocking handler on the
 * executor, an async one right here. Replies leave through the connection's {@link FrameOutbox}.
 *
 * <p>Rejections are answered straight from the event loop. {@code maxQueuedRequests} bounds the
 * requests started and not yet answered, across all connections of the server,
 * so a burst becomes OVERLOADED replies instead of an unbounded queue of virtual threads.
 */
@ChannelHandler.Sharable
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(RequestDispatcher.class.getName());

    private final Map<Integer, Route<?, ?>> routesByRequestType;
    private final LongSupplier routeVersion;
    private final Executor handlerExecutor;
    private final int maxQueuedRequests;
    private final AtomicInteger queued = new AtomicInteger();
    private final RpcServerStats stats;

    RequestDispatcher(Map<Integer, Route<?, ?>> routesByRequestType, LongSupplier routeVersion,
                      Executor handlerExecutor, int maxQueuedRequests, RpcServerStats stats) {
        this.routesByRequestType = Map.copyOf(routesByRequestType);
        this.routeVersion = routeVersion;
        this.handlerExecutor = handlerExecutor;
        this.maxQueuedRequests = maxQueuedRequests;
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The decoder emits only Frames, which hold no buffers: nothing to release here.
        Frame request = (Frame) msg;
        FrameHeader header = request.header();
        long current = routeVersion.getAsLong();
        if (header.kind() != FrameKind.REQUEST) {
            stats.badFramesAnswered.increment();
            reject(ctx, header, ErrorCode.BAD_FRAME, "a server accepts REQUEST frames only, got " + header.kind(), current);
            return;
        }
        Route<?, ?> route = routesByRequestType.get(header.messageTypeId());
        if (route == null) {
            stats.badFramesAnswered.increment();
            reject(ctx, header, ErrorCode.UNKNOWN_TYPE, "no handler for " + request.type() + " on this server", current);
            return;
        }
        if (route.method().routeChecked() && header.routeVersion() < current) {
            stats.rejectedStaleRoute.increment();
            reject(ctx, header, ErrorCode.STALE_ROUTE,
                    "route version " + header.routeVersion() + " is older than " + current, current);
            return;
        }
        if (queued.incrementAndGet() > maxQueuedRequests) {
            queued.decrementAndGet();
            stats.rejectedOverloaded.increment();
            reject(ctx, header, ErrorCode.OVERLOADED, "maxQueuedRequests " + maxQueuedRequests + " reached", current);
            return;
        }
        if (route.isAsync()) {
            serveAsync(ctx.channel(), route, request);
            return;
        }
        try {
            handlerExecutor.execute(() -> serve(ctx.channel(), route, request));
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            stats.rejectedOverloaded.increment();
            reject(ctx, header, ErrorCode.OVERLOADED, "server is shutting down", current);
        }
    }

    /** Requests handed to the executor and not yet answered. */
    int queuedRequests() {
        return queued.get();
    }

    private void serve(Channel channel, Route<?, ?> route, Frame request) {
        Frame reply;
        try {
            reply = route.serve(request, routeVersion.getAsLong());
            stats.requestsServed.increment();
        } catch (Throwable t) {
            reply = handlerFailed(route, request, t);
        } finally {
            queued.decrementAndGet();
        }
        send(channel, request.header(), reply);
    }

    /** Starts an async handler here on the event loop; its reply goes out whenever it is ready. */
    private <Q, R> void serveAsync(Channel channel, Route<Q, R> route, Frame request) {
        try {
            route.serveAsync(request).whenComplete((outcome, failure) -> {
                queued.decrementAndGet();
                Frame reply;
                try {
                    if (failure != null) {
                        throw failure;
                    }
                    reply = route.reply(request, outcome, routeVersion.getAsLong());
                    stats.requestsServed.increment();
                } catch (Throwable t) {
                    reply = handlerFailed(route, request, t);
                }
                send(channel, request.header(), reply);
            });
        } catch (Throwable t) {
            queued.decrementAndGet();
            send(channel, request.header(), handlerFailed(route, request, t));
        }
    }

    private Frame handlerFailed(Route<?, ?> route, Frame request, Throwable t) {
        stats.handlerFailures.increment();
        LOG.log(System.Logger.Level.ERROR, "handler for " + route.method() + " failed", t);
        long current = routeVersion.getAsLong();
        return Frame.error(request.header(), new ErrorReply(ErrorCode.INTERNAL, current, "handler failed: " + t), current);
    }

    private void send(Channel channel, FrameHeader requestHeader, Frame reply) {
        FrameOutbox.send(channel, reply).addListener(future -> {
            // A reply the encoder refused (too large) still owes the client an answer.
            if (!future.isSuccess() && future.cause() instanceof EncoderException e
                    && e.getCause() instanceof WireException wire) {
                long current = routeVersion.getAsLong();
                FrameOutbox.send(channel, Frame.error(requestHeader,
                        new ErrorReply(wire.code(), current, "reply not sent: " + wire.detail()), current));
            }
        });
    }

    private static void reject(ChannelHandlerContext ctx, FrameHeader header, ErrorCode code, String detail,
                               long current) {
        ctx.writeAndFlush(Frame.error(header, new ErrorReply(code, current, detail), current));
    }
}
