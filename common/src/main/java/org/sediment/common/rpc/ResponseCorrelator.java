package org.sediment.common.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.ErrorReply;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.MessageType;
import org.sediment.common.wire.WireException;

/**
 * The client's business handler, one per connection: matches replies to pending calls by request
 * id, enforces {@code maxInFlightPerConnection}, and completes every call exactly once, with the
 * reply, a timeout, or UNAVAILABLE when the connection goes away.
 *
 * <p>Exactly-once: whoever removes the id from {@code pending} completes the call; reply, timeout,
 * failed write and connection close all race through {@link #complete}. Futures complete on the
 * event loop, so callers must not block in non-async continuations.
 */
final class ResponseCorrelator extends ChannelInboundHandlerAdapter {

    private record PendingCall<R>(MessageType<R> responseType, CompletableFuture<RpcOutcome<R>> future,
                                  ScheduledFuture<?>[] timeout) {

        void complete(Frame reply) {
            FrameHeader header = reply.header();
            if (header.kind() == FrameKind.ERROR) {
                ErrorReply error = reply.messageAs(BuiltinMessages.ERROR_REPLY);
                future.complete(new RpcOutcome.Failure<>(error.code(), error.detail(), error.currentRouteVersion(),
                        RpcOutcome.Origin.PEER));
                return;
            }
            R body = header.kind() == FrameKind.RESPONSE ? reply.messageAs(responseType) : null;
            future.complete(body != null
                    ? new RpcOutcome.Success<>(body, header.routeVersion())
                    : RpcOutcome.Failure.local(ErrorCode.BAD_FRAME,
                            "expected a " + responseType + " response, got " + header.kind() + " " + reply.type()));
        }

        void fail(ErrorCode code, String detail) {
            future.complete(RpcOutcome.Failure.local(code, detail));
        }
    }

    private final int maxInFlight;
    private final Map<Long, PendingCall<?>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Channel channel;

    ResponseCorrelator(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Sends {@code request} and completes with its outcome; safe from any thread. */
    <R> CompletableFuture<RpcOutcome<R>> send(Frame request, MessageType<R> responseType, long timeoutMs) {
        CompletableFuture<RpcOutcome<R>> future = new CompletableFuture<>();
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            future.complete(RpcOutcome.Failure.local(ErrorCode.OVERLOADED,
                    "maxInFlightPerConnection " + maxInFlight + " reached on " + channel.remoteAddress()));
            return future;
        }
        long id = request.header().requestId();
        ScheduledFuture<?>[] timeout = new ScheduledFuture<?>[1];
        PendingCall<R> call = new PendingCall<>(responseType, future, timeout);
        pending.put(id, call);
        // Registered before the write, so a reply can never arrive for an unknown id.
        try {
            timeout[0] = channel.eventLoop().schedule(
                    () -> fail(id, ErrorCode.TIMEOUT, "no reply within " + timeoutMs + " ms"), timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            fail(id, ErrorCode.UNAVAILABLE, "client is shutting down");
            return future;
        }
        if (future.isDone()) {
            timeout[0].cancel(false); // completed by a close that raced with the schedule
        }
        FrameOutbox.send(channel, request).addListener(written -> {
            if (!written.isSuccess()) {
                WireException wire = WireErrors.find(written.cause());
                if (wire != null) {
                    fail(id, wire.code(), "request not sent: " + wire.detail());
                } else {
                    fail(id, ErrorCode.UNAVAILABLE, "request not sent: " + written.cause());
                }
            }
        });
        return future;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame reply = (Frame) msg; // the decoder emits only buffer-free Frames
        PendingCall<?> call = remove(reply.header().requestId());
        if (call != null) {
            call.complete(reply);
        }
        // else: a late reply to a call that already timed out; nothing waits for it.
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        WireException wire = WireErrors.find(cause);
        if (wire != null && !wire.connectionFatal() && wire.requestId() != FrameHeader.NO_REQUEST_ID) {
            fail(wire.requestId(), wire.code(), "undecodable reply: " + wire.detail());
            return;
        }
        // Broken framing from the server, a socket error or a bug: the connection is done;
        // channelInactive fails whatever is still pending.
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Long id : pending.keySet()) {
            fail(id, ErrorCode.UNAVAILABLE, "connection to " + ctx.channel().remoteAddress() + " closed before the reply");
        }
        ctx.fireChannelInactive();
    }

    private void fail(long id, ErrorCode code, String detail) {
        PendingCall<?> call = remove(id);
        if (call != null) {
            call.fail(code, detail);
        }
    }

    private PendingCall<?> remove(long id) {
        PendingCall<?> call = pending.remove(id);
        if (call != null) {
            inFlight.decrementAndGet();
            ScheduledFuture<?> timeout = call.timeout()[0];
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
        return call;
    }
}
