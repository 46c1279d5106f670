package org.sediment.common.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.sediment.common.wire.FrameDecoder;

/**
 * Closes a connection on which no complete frame has arrived for {@code idleTimeoutMs}, so idle
 * connections cannot pile up. It sits right after the {@link FrameDecoder}, so what it counts as
 * activity is a decoded frame, not a byte: a peer trickling the bytes of a frame it never finishes
 * is idle too (and {@link FrameTimeoutHandler} cuts it much sooner). A frame the decoder rejected
 * (bad content) is not activity either.
 *
 * <p>Replies the server writes do not count: a client waiting for a reply sends nothing, so the
 * limit must exceed the longest a handler takes. A client whose connection was closed while
 * unused reconnects on its next call ({@link PeerPool}).
 */
final class IdleTimeoutHandler extends IdleStateHandler {
    private final RpcServerStats stats;

    IdleTimeoutHandler(long idleTimeoutMs, RpcServerStats stats) {
        super(idleTimeoutMs, 0, 0, TimeUnit.MILLISECONDS);
        this.stats = stats;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        assert event.state() == IdleState.READER_IDLE : "only a reader timeout is configured, got " + event;
        if (ctx.channel().isActive()) {
            stats.connectionsClosedIdle.increment();
            ctx.close();
        }
    }
}
