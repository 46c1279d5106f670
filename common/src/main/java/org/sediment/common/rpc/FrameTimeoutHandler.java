package org.sediment.common.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.WireException;

/**
 * Closes a connection whose peer started a frame and has not finished it within
 * {@code frameTimeoutMs}: the bound on slow senders ("slowloris"), who would otherwise hold a
 * connection and its buffered bytes forever by sending a byte now and then.
 *
 * <p>It sits right after the {@link FrameDecoder} and, after every read, asks it whether it holds
 * part of a frame. The clock starts at the end of the read that left a partial frame behind: the
 * first bytes after an empty buffer, or the read in which the previous frame completed. More
 * bytes of the same frame do not restart it; only a complete frame does (a frame the decoder
 * rejected for its content was complete too).
 *
 * <p>While the server itself has stopped reading from the peer ({@link BackpressureHandler}: the
 * peer does not read its replies), the frame cannot complete whatever the peer sends, so the clock
 * restarts instead of closing; {@link IdleTimeoutHandler} still bounds such a peer.
 *
 * <p>One check is scheduled at a time, on the channel's event loop, and re-arms itself for the
 * time left, so a busy connection costs a timestamp per read rather than a timer per frame.
 */
final class FrameTimeoutHandler extends ChannelInboundHandlerAdapter {
    private final FrameDecoder decoder;
    private final long frameTimeoutNanos;
    private final RpcServerStats stats;
    /** A frame (good or rejected) completed during the current read. */
    private boolean frameCompleted;
    /** The decoder held part of a frame after the last read. */
    private boolean partial;
    private long partialSinceNanos;
    private ScheduledFuture<?> check;

    FrameTimeoutHandler(FrameDecoder decoder, long frameTimeoutMs, RpcServerStats stats) {
        this.decoder = decoder;
        this.frameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(frameTimeoutMs);
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        frameCompleted = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        WireException wire = WireErrors.find(cause);
        if (wire != null && !wire.connectionFatal()) {
            frameCompleted = true; // the decoder consumed the whole frame before rejecting it
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (decoder.holdsPartialFrame()) {
            if (!partial || frameCompleted) {
                partial = true;
                partialSinceNanos = now(ctx);
            }
            if (check == null) {
                schedule(ctx, frameTimeoutNanos);
            }
        } else {
            partial = false; // a pending check finds nothing to do and does not re-arm
        }
        frameCompleted = false;
        ctx.fireChannelReadComplete();
    }

    private void check(ChannelHandlerContext ctx) {
        check = null;
        if (!partial || !ctx.channel().isActive()) {
            return;
        }
        long left = frameTimeoutNanos - (now(ctx) - partialSinceNanos);
        if (left > 0) {
            schedule(ctx, left);
        } else if (!ctx.channel().config().isAutoRead()) {
            partialSinceNanos = now(ctx); // we stopped reading, not the peer sending
            schedule(ctx, frameTimeoutNanos);
        } else {
            stats.connectionsClosedFrameTimeout.increment();
            ctx.close();
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        partial = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
