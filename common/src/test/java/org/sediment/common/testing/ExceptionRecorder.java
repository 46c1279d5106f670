package org.sediment.common.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/** Last handler of a test pipeline: keeps every exception that reaches it, in order. */
public final class ExceptionRecorder extends ChannelInboundHandlerAdapter {
    public final List<Throwable> caught = new ArrayList<>();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        caught.add(cause);
    }
}
