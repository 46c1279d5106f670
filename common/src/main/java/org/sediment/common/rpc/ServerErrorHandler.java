package org.sediment.common.rpc;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.ErrorReply;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.WireException;

/**
 * The last inbound handler of a server pipeline: every exception ends here and nothing reaches
 * Netty's tail. A {@link WireException} becomes a typed error reply (and a clean close if the
 * framing is broken); a socket error closes quietly; anything else is a bug, answered INTERNAL,
 * closed and counted in {@link RpcServerStats#unexpectedExceptions()} so tests can fail on it.
 */
@ChannelHandler.Sharable
final class ServerErrorHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ServerErrorHandler.class.getName());
    /** How long an error reply before a close may wait for a peer that does not read. */
    static final long CLOSE_GRACE_MS = 1_000;

    private final LongSupplier routeVersion;
    private final RpcServerStats stats;

    ServerErrorHandler(LongSupplier routeVersion, RpcServerStats stats) {
        this.routeVersion = routeVersion;
        this.stats = stats;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        long current = routeVersion.getAsLong();
        WireException wire = WireErrors.find(cause);
        if (wire != null) {
            Frame reply = Frame.error(wire.requestId(), new ErrorReply(wire.code(), current, wire.detail()), current);
            if (wire.connectionFatal()) {
                stats.connectionsClosedOnBadFraming.increment();
                replyThenClose(ctx, reply);
            } else {
                stats.badFramesAnswered.increment();
                ctx.writeAndFlush(reply);
            }
        } else if (cause instanceof IOException) {
            stats.ioErrors.increment();
            ctx.close();
        } else {
            stats.unexpectedExceptions.increment();
            LOG.log(System.Logger.Level.ERROR, "unexpected exception on " + ctx.channel(), cause);
            replyThenClose(ctx, Frame.error(FrameHeader.NO_REQUEST_ID,
                    new ErrorReply(ErrorCode.INTERNAL, current, "internal error, closing"), current));
        }
    }

    /**
     * Sends the last word and closes once it is written, or after {@link #CLOSE_GRACE_MS} if the
     * peer does not read it: a peer that stopped reading must not keep a broken connection open.
     */
    private static void replyThenClose(ChannelHandlerContext ctx, Frame reply) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }
}
