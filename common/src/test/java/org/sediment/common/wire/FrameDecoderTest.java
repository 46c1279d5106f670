package org.sediment.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.ExceptionRecorder;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.RawFrames;

/** Each decode failure, one by one: the code, the request id, and whether the stream survives. */
@ExtendWith(NoLeaks.class)
class FrameDecoderTest {
    private static final FrameLimits LIMITS = new FrameLimits(4_096);
    private static final int MAGIC = FrameHeader.MAGIC;
    private static final int V = FrameHeader.PROTOCOL_VERSION;
    private static final byte[] PING_BODY = {0, 0, 0, 0, 0, 0, 0, 42};

    private ExceptionRecorder errors;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        errors = new ExceptionRecorder();
        channel = new EmbeddedChannel(new FrameDecoder(Blob.registry(), LIMITS), errors);
    }

    @Test
    void aGoodPingDecodes() {
        feed(RawFrames.request(5, BuiltinMessages.PING.id(), PING_BODY));
        Frame frame = channel.readInbound();
        assertThat(frame.message()).isEqualTo(new Ping(42));
        assertThat(frame.header().requestId()).isEqualTo(5);
        assertThat(errors.caught).isEmpty();
    }

    @Test
    void wrongMagicIsFatalAndEverythingAfterIsDiscarded() {
        feed(RawFrames.custom(-1, 0xBEEF, V, 0, 5, 2, 0, 0, 0, PING_BODY));
        feed(RawFrames.request(6, BuiltinMessages.PING.id(), PING_BODY));
        assertFailure(ErrorCode.BAD_FRAME, FrameHeader.NO_REQUEST_ID, true, "wrong magic 0xbeef, expected 0x5344");
        assertThat(channel.<Object>readInbound()).as("nothing decodes after broken framing").isNull();
    }

    @Test
    void wrongMagicIsNoticedBeforeTheDeclaredLengthArrives() {
        // A huge plausible length with garbage behind it must not make the decoder wait for more.
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 100, 'G', 'E'}));
        assertThat(errors.caught).hasSize(1);
        assertThat(((WireException) errors.caught.get(0)).connectionFatal()).isTrue();
    }

    @Test
    void oversizedLengthIsFatalTooLarge() {
        feed(RawFrames.custom(LIMITS.maxFrameBytes(), MAGIC, V, 0, 5, 2, 0, 0, 0, PING_BODY));
        assertFailure(ErrorCode.TOO_LARGE, FrameHeader.NO_REQUEST_ID, true,
                "frame of 4100 bytes exceeds maxFrameBytes 4096");
    }

    @Test
    void negativeLengthIsReadAsUnsignedAndTooLarge() {
        feed(RawFrames.custom(0xFFFF_FFFFL, MAGIC, V, 0, 5, 2, 0, 0, 0, PING_BODY));
        assertFailure(ErrorCode.TOO_LARGE, FrameHeader.NO_REQUEST_ID, true,
                "frame of 4294967299 bytes exceeds maxFrameBytes 4096");
    }

    @Test
    void lengthShorterThanTheHeaderIsFatal() {
        feed(RawFrames.custom(10, MAGIC, V, 0, 5, 2, 0, 0, 0, PING_BODY));
        assertFailure(ErrorCode.BAD_FRAME, FrameHeader.NO_REQUEST_ID, true,
                "length 10 is shorter than the 24-byte header");
    }

    @Test
    void unsupportedVersionIsAnsweredAndTheNextFrameStillDecodes() {
        feed(RawFrames.custom(-1, MAGIC, 9, 0, 5, 2, 0, 0, 0, PING_BODY));
        feed(RawFrames.request(6, BuiltinMessages.PING.id(), PING_BODY));
        assertFailure(ErrorCode.UNSUPPORTED_VERSION, 5, false, "protocol version 9, this peer speaks " + V);
        assertNextFrameHasId(6);
    }

    @Test
    void unknownKindIsABadFrame() {
        feed(RawFrames.custom(-1, MAGIC, V, 7, 5, 2, 0, 0, 0, PING_BODY));
        feed(RawFrames.request(6, BuiltinMessages.PING.id(), PING_BODY));
        assertFailure(ErrorCode.BAD_FRAME, 5, false, "unknown frame kind 7");
        assertNextFrameHasId(6);
    }

    @Test
    void unknownTypeIsAnsweredUnknownType() {
        feed(RawFrames.request(5, 999, PING_BODY));
        feed(RawFrames.request(6, BuiltinMessages.PING.id(), PING_BODY));
        assertFailure(ErrorCode.UNKNOWN_TYPE, 5, false, "unknown message type 999");
        assertNextFrameHasId(6);
    }

    @Test
    void userPriorityAbove127IsABadFrame() {
        feed(RawFrames.custom(-1, MAGIC, V, 0, 5, 2, 0, 128, 0, PING_BODY));
        assertFailure(ErrorCode.BAD_FRAME, 5, false, "userPriority 128 above 127");
    }

    @Test
    void errorKindMustCarryAnErrorReply() {
        feed(RawFrames.custom(-1, MAGIC, V, 2, 5, 2, 0, 0, 0, PING_BODY));
        assertFailure(ErrorCode.BAD_FRAME, 5, false, "ERROR frame cannot carry Ping#2");
    }

    @Test
    void truncatedBodyIsABadFrame() {
        feed(RawFrames.request(5, BuiltinMessages.PING.id(), new byte[3]));
        feed(RawFrames.request(6, BuiltinMessages.PING.id(), PING_BODY));
        assertFailure(ErrorCode.BAD_FRAME, 5, false, "Ping#2 body is truncated");
        assertNextFrameHasId(6);
    }

    @Test
    void trailingBytesAreABadFrame() {
        feed(RawFrames.request(5, BuiltinMessages.PING.id(), new byte[10]));
        assertFailure(ErrorCode.BAD_FRAME, 5, false, "2 trailing bytes after the Ping#2 body");
    }

    @Test
    void aGarbageFieldLengthIsABadFrameWithoutAllocatingIt() {
        byte[] body = {0, 0, 0, 0, 0, 0, 0, 1, /* label length */ 0, 1, 'x', /* data length */ 0x7F, 0, 0, 0};
        feed(RawFrames.request(5, Blob.TYPE.id(), body));
        assertFailure(ErrorCode.BAD_FRAME, 5, false,
                "Blob#60001 body: byte field length 2130706432 outside [0, 262144]");
    }

    @Test
    void anUnknownErrorCodeInAnErrorReplyIsABadFrame() {
        byte[] body = {0, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        feed(RawFrames.custom(-1, MAGIC, V, 2, 5, BuiltinMessages.ERROR_REPLY.id(), 0, 0, 0, body));
        assertFailure(ErrorCode.BAD_FRAME, 5, false, "ErrorReply#1 body: unknown error code 99");
    }

    @Test
    void aCodecBugIsNotMistakenForABadFrame() {
        MessageType<String> buggy = new MessageType<>(60_100, "Buggy", String.class, new MessageCodec<>() {
            @Override
            public void write(String message, io.netty.buffer.ByteBuf out) {
            }

            @Override
            public String read(io.netty.buffer.ByteBuf in) {
                throw new NullPointerException("codec bug");
            }
        });
        ExceptionRecorder recorder = new ExceptionRecorder();
        EmbeddedChannel buggyChannel = new EmbeddedChannel(
                new FrameDecoder(MessageRegistry.builder().register(buggy).build(), LIMITS), recorder);
        buggyChannel.writeInbound(Unpooled.wrappedBuffer(RawFrames.request(5, buggy.id(), new byte[0])));
        assertThat(recorder.caught).singleElement().isInstanceOf(DecoderException.class)
                .extracting(Throwable::getCause).isInstanceOf(NullPointerException.class);
        buggyChannel.finishAndReleaseAll();
    }

    @Test
    void aPartialFrameWaitsAndAClosedChannelReleasesIt() {
        byte[] frame = RawFrames.request(5, BuiltinMessages.PING.id(), PING_BODY);
        channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, frame.length - 1));
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(errors.caught).isEmpty();
        assertThat(channel.finish()).isFalse(); // the decoder's cumulation is released here
    }

    private void feed(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private void assertFailure(ErrorCode code, long requestId, boolean fatal, String detail) {
        assertThat(errors.caught).hasSize(1);
        WireException e = (WireException) errors.caught.get(0);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.requestId()).isEqualTo(requestId);
        assertThat(e.connectionFatal()).isEqualTo(fatal);
        assertThat(e.detail()).isEqualTo(detail);
        assertThat(e.getMessage()).isEqualTo(code + ": " + detail);
    }

    private void assertNextFrameHasId(long requestId) {
        Frame frame = channel.readInbound();
        assertThat(frame).isNotNull();
        assertThat(frame.header().requestId()).isEqualTo(requestId);
    }
}
