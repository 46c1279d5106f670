package org.sediment.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.ExceptionRecorder;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.Seeds;

/** Encoder and decoder together, in EmbeddedChannels: what goes in comes out, however it is cut. */
@ExtendWith({NoLeaks.class, Seeds.class})
class FrameCodecRoundTripTest {
    private static final MessageRegistry REGISTRY = Blob.registry();
    private static final FrameLimits LIMITS = new FrameLimits(64 * 1024);

    @Test
    void randomFramesSurviveEncodeAndDecodeWhateverTheChunking() {
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            sent.add(randomFrame(random));
        }
        EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder(LIMITS));
        for (Frame frame : sent) {
            assertThat(encoder.writeOutbound(frame)).isTrue();
        }
        ByteBuf stream = Unpooled.buffer();
        for (ByteBuf chunk; (chunk = encoder.readOutbound()) != null; ) {
            stream.writeBytes(chunk);
            chunk.release();
        }
        ExceptionRecorder errors = new ExceptionRecorder();
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(REGISTRY, LIMITS), errors);
        // Feed the stream in random cuts, from single bytes to several frames at once.
        while (stream.isReadable()) {
            int cut = Math.min(stream.readableBytes(), random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(3_000));
            decoder.writeInbound(stream.readRetainedSlice(cut));
        }
        stream.release();
        List<Frame> received = new ArrayList<>();
        for (Frame frame; (frame = decoder.readInbound()) != null; ) {
            received.add(frame);
        }
        assertThat(errors.caught).isEmpty();
        assertThat(received).isEqualTo(sent);
        assertThat(decoder.finish()).isFalse();
        assertThat(encoder.finish()).isFalse();
    }

    @Test
    void everyFieldOfTheHeaderSurvives() {
        FrameHeader header = new FrameHeader(FrameKind.RESPONSE, Long.MIN_VALUE, BuiltinMessages.PONG.id(), 255, 127, -1L);
        Frame frame = new Frame(header, BuiltinMessages.PONG, new Pong(Long.MAX_VALUE));
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(LIMITS), new FrameDecoder(REGISTRY, LIMITS));
        channel.writeOutbound(frame);
        ByteBuf bytes = channel.readOutbound();
        assertThat(bytes.readableBytes()).isEqualTo(FrameHeader.MIN_FRAME_BYTES + Long.BYTES);
        channel.writeInbound(bytes);
        assertThat((Frame) channel.readInbound()).isEqualTo(frame);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFrameAboveTheLimitIsNotSentAndTheChannelStaysUsable() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(LIMITS));
        Blob tooBig = new Blob(1, "big", new byte[LIMITS.maxFrameBytes()]);
        ChannelFuture write = channel.writeAndFlush(new Frame(requestHeader(7, Blob.TYPE), Blob.TYPE, tooBig));
        assertThat(write.isSuccess()).isFalse();
        assertThat(write.cause()).isInstanceOf(EncoderException.class).cause().isInstanceOf(WireException.class);
        WireException cause = (WireException) write.cause().getCause();
        assertThat(cause.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(cause.requestId()).isEqualTo(7);
        assertThat(cause.connectionFatal()).isFalse();
        assertThat(channel.<Object>readOutbound()).isNull();
        // The next frame goes out normally.
        channel.writeAndFlush(new Frame(requestHeader(8, BuiltinMessages.PING), BuiltinMessages.PING, new Ping(1)));
        ByteBuf next = channel.readOutbound();
        assertThat(next.readableBytes()).isEqualTo(FrameHeader.MIN_FRAME_BYTES + Long.BYTES);
        next.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFrameOfExactlyTheLimitIsSentAndAccepted() {
        int bodyOverhead = Long.BYTES + 2 + 1 + 4; // owner, label length, label "x", data length
        Blob exact = new Blob(1, "x", new byte[LIMITS.maxFrameBytes() - FrameHeader.MIN_FRAME_BYTES - bodyOverhead]);
        Frame frame = new Frame(requestHeader(9, Blob.TYPE), Blob.TYPE, exact);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(LIMITS), new FrameDecoder(REGISTRY, LIMITS));
        assertThat(channel.writeOutbound(frame)).isTrue();
        ByteBuf bytes = channel.readOutbound();
        assertThat(bytes.readableBytes()).isEqualTo(LIMITS.maxFrameBytes());
        channel.writeInbound(bytes);
        assertThat((Frame) channel.readInbound()).isEqualTo(frame);
        assertThat(channel.finish()).isFalse();
    }

    static FrameHeader requestHeader(long requestId, MessageType<?> type) {
        return new FrameHeader(FrameKind.REQUEST, requestId, type.id(), 0, 0, 0);
    }

    static Frame randomFrame(SplittableRandom random) {
        long requestId = random.nextLong();
        int business = random.nextInt(256);
        int user = random.nextInt(128);
        long route = random.nextLong();
        return switch (random.nextInt(4)) {
            case 0 -> new Frame(new FrameHeader(FrameKind.REQUEST, requestId, BuiltinMessages.PING.id(), business, user,
                    route), BuiltinMessages.PING, new Ping(random.nextLong()));
            case 1 -> new Frame(new FrameHeader(FrameKind.RESPONSE, requestId, BuiltinMessages.PONG.id(), business,
                    user, route), BuiltinMessages.PONG, new Pong(random.nextLong()));
            case 2 -> {
                ErrorCode code = ErrorCode.values()[random.nextInt(ErrorCode.values().length)];
                yield new Frame(new FrameHeader(FrameKind.ERROR, requestId, BuiltinMessages.ERROR_REPLY.id(), business,
                        user, route), BuiltinMessages.ERROR_REPLY, new ErrorReply(code, random.nextLong(),
                        randomString(random, 40)));
            }
            default -> {
                byte[] data = new byte[random.nextInt(random.nextBoolean() ? 64 : 8_192)];
                random.nextBytes(data);
                FrameKind kind = random.nextBoolean() ? FrameKind.REQUEST : FrameKind.RESPONSE;
                yield new Frame(new FrameHeader(kind, requestId, Blob.TYPE.id(), business, user, route), Blob.TYPE,
                        new Blob(random.nextLong(), randomString(random, 20), data));
            }
        };
    }

    /** Includes multi-byte UTF-8 so string lengths are counted in bytes, not chars. */
    static String randomString(SplittableRandom random, int maxChars) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(maxChars + 1);
        for (int i = 0; i < n; i++) {
            s.append(switch (random.nextInt(3)) {
                case 0 -> (char) ('a' + random.nextInt(26));
                case 1 -> 'é';
                default -> '水';
            });
        }
        return s.toString();
    }
}
