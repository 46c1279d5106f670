package org.sediment.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.RawFrames;
import org.sediment.common.testing.TestBuffers;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.ErrorReply;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameEncoder;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.Pong;

/** The server pipeline in an EmbeddedChannel: dispatch, rejections and error replies. */
@ExtendWith(NoLeaks.class)
class ServerPipelineTest {
    private static final MessageRegistry REGISTRY = Blob.registry();
    private static final FrameLimits LIMITS = new FrameLimits(4_096);
    private static final byte[] PING_42 = {0, 0, 0, 0, 0, 0, 0, 42};

    private final AtomicLong routeVersion = new AtomicLong(10);
    private final RpcServerStats stats = new RpcServerStats();
    private final ArrayDeque<Runnable> heldTasks = new ArrayDeque<>();

    @Test
    void aPingIsAnsweredWithAPongCarryingTheServerRouteVersion() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.request(5, BuiltinMessages.PING.id(), PING_42)));
        Frame reply = single(channel);
        assertThat(reply.header().kind()).isEqualTo(FrameKind.RESPONSE);
        assertThat(reply.header().requestId()).isEqualTo(5);
        assertThat(reply.header().routeVersion()).isEqualTo(10);
        assertThat(reply.message()).isEqualTo(new Pong(42));
        assertThat(stats.requestsServed()).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anOlderRouteVersionIsAnsweredStaleRouteWithTheCurrentOne() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        Blob blob = new Blob(1, "a", new byte[] {1, 2});
        channel.writeInbound(encode(new Frame(request(5, Blob.TYPE.id(), 9), Blob.TYPE, blob)));
        assertError(single(channel), 5, ErrorCode.STALE_ROUTE, "route version 9 is older than 10");
        channel.writeInbound(encode(new Frame(request(6, Blob.TYPE.id(), 10), Blob.TYPE, blob)));
        assertThat(single(channel).message()).isEqualTo(blob);
        routeVersion.set(11); // a route reload is seen by the very next request
        channel.writeInbound(encode(new Frame(request(7, Blob.TYPE.id(), 10), Blob.TYPE, blob)));
        ErrorReply stale = single(channel).messageAs(BuiltinMessages.ERROR_REPLY);
        assertThat(stale.currentRouteVersion()).isEqualTo(11);
        assertThat(stats.rejectedStaleRoute()).isEqualTo(2);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFullQueueIsAnsweredOverloadedFromTheEventLoop() {
        EmbeddedChannel channel = server(heldTasks::add, 2);
        for (long id = 1; id <= 3; id++) {
            channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.request(id, BuiltinMessages.PING.id(), PING_42)));
        }
        assertError(single(channel), 3, ErrorCode.OVERLOADED, "maxQueuedRequests 2 reached");
        runHeldTasks(channel);
        assertThat(replies(channel)).extracting(f -> f.header().requestId()).containsExactly(1L, 2L);
        // The queue drained: the next request is accepted again.
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.request(4, BuiltinMessages.PING.id(), PING_42)));
        assertThat(heldTasks).hasSize(1);
        runHeldTasks(channel);
        assertThat(single(channel).header().requestId()).isEqualTo(4);
        assertThat(stats.rejectedOverloaded()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void aBadBodyIsAnsweredAndTheConnectionStaysOpen() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.request(5, BuiltinMessages.PING.id(), new byte[3])));
        assertError(single(channel), 5, ErrorCode.BAD_FRAME, "Ping#2 body is truncated");
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.request(6, BuiltinMessages.PING.id(), PING_42)));
        assertThat(single(channel).message()).isEqualTo(new Pong(42));
        assertThat(stats.badFramesAnswered()).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void brokenFramingIsAnsweredThenTheConnectionCloses() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        byte[] garbage = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        channel.writeInbound(Unpooled.wrappedBuffer(garbage));
        Frame reply = single(channel);
        assertError(reply, FrameHeader.NO_REQUEST_ID, ErrorCode.BAD_FRAME, "wrong magic 0x2f20, expected 0x5344");
        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedOnBadFraming()).isEqualTo(1);
        assertThat(stats.unexpectedExceptions()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void aTooLargeLengthIsAnsweredTooLargeThenTheConnectionCloses() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.custom(1 << 20, FrameHeader.MAGIC,
                FrameHeader.PROTOCOL_VERSION, 0, 5, 2, 0, 0, 0, PING_42)));
        assertError(single(channel), FrameHeader.NO_REQUEST_ID, ErrorCode.TOO_LARGE,
                "frame of 1048580 bytes exceeds maxFrameBytes 4096");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestWithoutAHandlerIsAnsweredUnknownType() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        channel.writeInbound(encode(new Frame(request(5, BuiltinMessages.PONG.id(), 0), BuiltinMessages.PONG,
                new Pong(1))));
        assertError(single(channel), 5, ErrorCode.UNKNOWN_TYPE, "no handler for Pong#3 on this server");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aResponseSentToAServerIsABadFrame() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        FrameHeader header = new FrameHeader(FrameKind.RESPONSE, 5, BuiltinMessages.PING.id(), 0, 0, 0);
        channel.writeInbound(encode(new Frame(header, BuiltinMessages.PING, new Ping(1))));
        assertError(single(channel), 5, ErrorCode.BAD_FRAME, "a server accepts REQUEST frames only, got RESPONSE");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aHandlerThatThrowsIsAnsweredInternalAndCounted() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        Blob poison = new Blob(1, "throw", new byte[0]);
        channel.writeInbound(encode(new Frame(request(5, Blob.TYPE.id(), 10), Blob.TYPE, poison)));
        Frame reply = single(channel);
        assertThat(reply.messageAs(BuiltinMessages.ERROR_REPLY).code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(stats.handlerFailures()).isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aHandlerRejectionBecomesAnErrorReply() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        channel.writeInbound(encode(new Frame(request(5, Blob.TYPE.id(), 10), Blob.TYPE,
                new Blob(404, "missing", new byte[0]))));
        assertError(single(channel), 5, ErrorCode.NOT_FOUND, "owner 404");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aReplyAboveTheFrameLimitBecomesATooLargeError() {
        EmbeddedChannel channel = server(Runnable::run, 10);
        channel.writeInbound(encode(new Frame(request(5, Blob.TYPE.id(), 10), Blob.TYPE,
                new Blob(1, "grow", new byte[10]))));
        assertThat(single(channel).messageAs(BuiltinMessages.ERROR_REPLY).code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finish()).isFalse();
    }

    /** Blob handler: echoes, except label "throw" (bug), owner 404 (not found), "grow" (huge reply). */
    private EmbeddedChannel server(Executor executor, int maxQueued) {
        RequestHandler<Ping, Pong> ping = (request, header) -> RpcOutcome.success(new Pong(request.nonce()));
        RequestHandler<Blob, Blob> echo = (request, header) -> {
            if (request.label().equals("throw")) {
                throw new IllegalStateException("handler bug");
            }
            if (request.owner() == 404) {
                return RpcOutcome.reject(ErrorCode.NOT_FOUND, "owner 404");
            }
            if (request.label().equals("grow")) {
                return RpcOutcome.success(new Blob(1, "big", new byte[LIMITS.maxFrameBytes()]));
            }
            return RpcOutcome.success(request);
        };
        Map<Integer, Route<?, ?>> routes = Map.of(
                BuiltinMessages.PING.id(), new Route<>(RpcMethod.PING, ping),
                Blob.TYPE.id(), new Route<>(Blob.ECHO, echo));
        return new EmbeddedChannel(
                new FrameDecoder(REGISTRY, LIMITS),
                new FrameEncoder(LIMITS),
                new BackpressureHandler(),
                new RequestDispatcher(routes, routeVersion::get, executor, maxQueued, stats),
                new ServerErrorHandler(routeVersion::get, stats));
    }

    private void runHeldTasks(EmbeddedChannel channel) {
        for (Runnable task; (task = heldTasks.poll()) != null; ) {
            task.run();
        }
        channel.runPendingTasks();
    }

    private FrameHeader request(long id, int typeId, long route) {
        return new FrameHeader(FrameKind.REQUEST, id, typeId, 0, 0, route);
    }

    private static ByteBuf encode(Frame frame) {
        return Unpooled.wrappedBuffer(RawFrames.encode(frame));
    }

    static List<Frame> replies(EmbeddedChannel channel) {
        FrameDecoder decoder = new FrameDecoder(REGISTRY, new FrameLimits(FrameLimits.MAX_FRAME_BYTES_CEILING));
        ByteBuf all = TestBuffers.untracked();
        try {
            for (ByteBuf chunk; (chunk = channel.readOutbound()) != null; ) {
                all.writeBytes(chunk);
                chunk.release();
            }
            List<Frame> frames = new ArrayList<>();
            for (Frame frame; (frame = decoder.tryDecode(all)) != null; ) {
                frames.add(frame);
            }
            assertThat(all.isReadable()).as("server output ends on a frame boundary").isFalse();
            return frames;
        } finally {
            all.release();
        }
    }

    private static Frame single(EmbeddedChannel channel) {
        List<Frame> frames = replies(channel);
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    private static void assertError(Frame reply, long requestId, ErrorCode code, String detail) {
        assertThat(reply.header().kind()).isEqualTo(FrameKind.ERROR);
        assertThat(reply.header().requestId()).isEqualTo(requestId);
        ErrorReply error = reply.messageAs(BuiltinMessages.ERROR_REPLY);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.detail()).isEqualTo(detail);
    }
}
