package org.sediment.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.RawFrames;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.ErrorReply;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameEncoder;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.Pong;

/** The client pipeline in an EmbeddedChannel, with virtual time for timeouts. */
@ExtendWith(NoLeaks.class)
class ResponseCorrelatorTest {
    private static final FrameLimits LIMITS = new FrameLimits(4_096);

    private EmbeddedChannel channel;
    private ResponseCorrelator correlator;

    @BeforeEach
    void setUp() {
        correlator = new ResponseCorrelator(3);
        channel = new EmbeddedChannel(new FrameDecoder(Blob.registry(), LIMITS), new FrameEncoder(LIMITS), correlator);
        channel.freezeTime();
    }

    @Test
    void repliesAreMatchedByRequestIdInAnyOrder() {
        CompletableFuture<RpcOutcome<Pong>> first = ping(1, 100);
        CompletableFuture<RpcOutcome<Pong>> second = ping(2, 200);
        assertThat(sentRequestIds()).containsExactly(1L, 2L);
        reply(pong(2, 200));
        reply(pong(1, 100));
        assertThat(first.join()).isEqualTo(new RpcOutcome.Success<>(new Pong(100), 7));
        assertThat(second.join()).isEqualTo(new RpcOutcome.Success<>(new Pong(200), 7));
        assertThat(correlator.inFlight()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anErrorReplyBecomesAPeerFailureWithTheRouteVersion() {
        CompletableFuture<RpcOutcome<Pong>> call = ping(1, 100);
        sentRequestIds();
        reply(Frame.error(1, new ErrorReply(ErrorCode.STALE_ROUTE, 12, "older"), 12));
        assertThat(call.join()).isEqualTo(new RpcOutcome.Failure<>(ErrorCode.STALE_ROUTE, "older", 12,
                RpcOutcome.Origin.PEER));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void noReplyWithinTheTimeoutIsATimeoutAndALateReplyIsIgnored() {
        CompletableFuture<RpcOutcome<Pong>> call = ping(1, 100);
        sentRequestIds();
        channel.advanceTimeBy(49, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(call).isNotDone();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(call.join()).isEqualTo(RpcOutcome.Failure.local(ErrorCode.TIMEOUT, "no reply within 50 ms"));
        reply(pong(1, 100));
        assertThat(correlator.inFlight()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void theInFlightBoundRejectsAtOnceAndFreesOnReply() {
        ping(1, 1);
        ping(2, 2);
        ping(3, 3);
        CompletableFuture<RpcOutcome<Pong>> fourth = ping(4, 4);
        RpcOutcome.Failure<Pong> rejected = (RpcOutcome.Failure<Pong>) fourth.join();
        assertThat(rejected.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(rejected.origin()).isEqualTo(RpcOutcome.Origin.LOCAL);
        assertThat(sentRequestIds()).containsExactly(1L, 2L, 3L);
        reply(pong(2, 2));
        assertThat(ping(5, 5)).isNotDone();
        assertThat(correlator.inFlight()).isEqualTo(3);
        channel.finishAndReleaseAll();
    }

    @Test
    void aClosedConnectionFailsEveryPendingCallUnavailable() {
        CompletableFuture<RpcOutcome<Pong>> first = ping(1, 1);
        CompletableFuture<RpcOutcome<Pong>> second = ping(2, 2);
        sentRequestIds();
        channel.close();
        assertThat(((RpcOutcome.Failure<Pong>) first.join()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(((RpcOutcome.Failure<Pong>) second.join()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(correlator.inFlight()).isZero();
        // A call on the closed channel fails too, through its failed write.
        assertThat(((RpcOutcome.Failure<Pong>) ping(3, 3).join()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        channel.finishAndReleaseAll();
    }

    @Test
    void aResponseOfTheWrongTypeIsALocalBadFrame() {
        CompletableFuture<RpcOutcome<Pong>> call = ping(1, 1);
        sentRequestIds();
        FrameHeader header = new FrameHeader(FrameKind.RESPONSE, 1, BuiltinMessages.PING.id(), 0, 0, 0);
        reply(new Frame(header, BuiltinMessages.PING, new Ping(1)));
        RpcOutcome.Failure<Pong> failure = (RpcOutcome.Failure<Pong>) call.join();
        assertThat(failure.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(failure.detail()).isEqualTo("expected a Pong#3 response, got RESPONSE Ping#2");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anUndecodableReplyFailsOnlyItsCall() {
        CompletableFuture<RpcOutcome<Pong>> broken = ping(1, 1);
        CompletableFuture<RpcOutcome<Pong>> fine = ping(2, 2);
        sentRequestIds();
        byte[] truncated = RawFrames.custom(-1, FrameHeader.MAGIC, FrameHeader.PROTOCOL_VERSION, 1, 1, BuiltinMessages.PONG.id(), 0, 0, 0,
                new byte[2]);
        channel.writeInbound(Unpooled.wrappedBuffer(truncated));
        assertThat(((RpcOutcome.Failure<Pong>) broken.join()).code()).isEqualTo(ErrorCode.BAD_FRAME);
        reply(pong(2, 2));
        assertThat(fine.join()).isInstanceOf(RpcOutcome.Success.class);
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void brokenFramingFromTheServerClosesTheConnection() {
        CompletableFuture<RpcOutcome<Pong>> call = ping(1, 1);
        sentRequestIds();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 30, 'x', 'y', 'z'}));
        assertThat(channel.isOpen()).isFalse();
        assertThat(((RpcOutcome.Failure<Pong>) call.join()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestAboveTheFrameLimitFailsLocallyTooLarge() {
        Frame huge = new Frame(new FrameHeader(FrameKind.REQUEST, 1, Blob.TYPE.id(), 0, 0, 0), Blob.TYPE,
                new Blob(1, "x", new byte[LIMITS.maxFrameBytes()]));
        RpcOutcome.Failure<Blob> failure = (RpcOutcome.Failure<Blob>) correlator.send(huge, Blob.TYPE, 50).join();
        assertThat(failure.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(failure.origin()).isEqualTo(RpcOutcome.Origin.LOCAL);
        assertThat(correlator.inFlight()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    private CompletableFuture<RpcOutcome<Pong>> ping(long id, long nonce) {
        Frame request = new Frame(new FrameHeader(FrameKind.REQUEST, id, BuiltinMessages.PING.id(), 0, 0, 0),
                BuiltinMessages.PING, new Ping(nonce));
        return correlator.send(request, BuiltinMessages.PONG, 50);
    }

    private static Frame pong(long id, long nonce) {
        return new Frame(new FrameHeader(FrameKind.RESPONSE, id, BuiltinMessages.PONG.id(), 0, 0, 7),
                BuiltinMessages.PONG, new Pong(nonce));
    }

    private void reply(Frame frame) {
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.encode(frame)));
    }

    private java.util.List<Long> sentRequestIds() {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            ids.add(out.getLong(FrameHeader.LENGTH_FIELD_BYTES + 4));
            out.release();
        }
        return ids;
    }
}
