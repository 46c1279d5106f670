package org.sediment.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.ExceptionRecorder;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.RawFrames;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.WireException;

/**
 * {@link IdleTimeoutHandler}, {@link FrameTimeoutHandler} and {@link ConnectionLimit} in
 * EmbeddedChannels on frozen time: every deadline is checked one millisecond before and at it.
 */
@ExtendWith(NoLeaks.class)
class ConnectionBoundsTest {
    private static final long IDLE_MS = 1_000;
    private static final long FRAME_MS = 300;
    private static final byte[] PING = RawFrames.request(1, BuiltinMessages.PING.id(), new byte[8]);

    private final RpcServerStats stats = new RpcServerStats();
    private final ExceptionRecorder exceptions = new ExceptionRecorder();

    @Test
    void aConnectionWithoutAnyFrameIsClosedAtTheIdleTimeout() {
        EmbeddedChannel channel = idleOnly();
        advance(channel, IDLE_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedIdle()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void completeFramesKeepAConnectionOpenAndTheIdleClockRunsFromTheLastOne() {
        EmbeddedChannel channel = idleOnly();
        for (int i = 0; i < 5; i++) {
            advance(channel, IDLE_MS - 1);
            send(channel, PING);
            assertThat(channel.<Frame>readInbound().message()).isEqualTo(new Ping(0));
        }
        assertThat(channel.isOpen()).isTrue();
        advance(channel, IDLE_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedIdle()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void bytesOfAFrameThatNeverCompletesAreNotActivity() {
        EmbeddedChannel channel = idleOnly();
        for (int at = 0; at < PING.length - 1; at++) {
            advance(channel, IDLE_MS / PING.length);
            send(channel, Arrays.copyOfRange(PING, at, at + 1));
        }
        advance(channel, IDLE_MS - (PING.length - 1) * (IDLE_MS / PING.length) - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedIdle()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void halfAFrameHeaderIsClosedAtTheFrameTimeout() {
        EmbeddedChannel channel = frameOnly();
        send(channel, Arrays.copyOf(PING, 10));
        advance(channel, FRAME_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedFrameTimeout()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void tricklingBytesDoesNotRestartTheFrameClock() {
        EmbeddedChannel channel = frameOnly();
        for (int at = 0; at < 3; at++) {
            send(channel, Arrays.copyOfRange(PING, at, at + 1));
            advance(channel, FRAME_MS / 3 - (at == 2 ? 1 : 0));
        }
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedFrameTimeout()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void aCompletedFrameRestartsTheClockForThePartOfTheNextOne() {
        EmbeddedChannel channel = frameOnly();
        send(channel, Arrays.copyOf(PING, 10));
        advance(channel, FRAME_MS - 50);
        // The rest of the first frame and the start of a second arrive in one read.
        byte[] restAndNext = new byte[PING.length - 10 + 5];
        System.arraycopy(PING, 10, restAndNext, 0, PING.length - 10);
        System.arraycopy(PING, 0, restAndNext, PING.length - 10, 5);
        send(channel, restAndNext);
        assertThat(channel.<Frame>readInbound()).isNotNull();
        advance(channel, FRAME_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void aFrameRejectedForItsContentWasCompleteToo() {
        EmbeddedChannel channel = frameOnly();
        byte[] badBody = RawFrames.request(2, BuiltinMessages.PING.id(), new byte[3]);
        send(channel, Arrays.copyOf(badBody, 10));
        advance(channel, FRAME_MS - 50);
        // The rest of the bad frame and the start of a good one arrive in one read.
        byte[] restAndNext = new byte[badBody.length - 10 + 5];
        System.arraycopy(badBody, 10, restAndNext, 0, badBody.length - 10);
        System.arraycopy(PING, 0, restAndNext, badBody.length - 10, 5);
        send(channel, restAndNext);
        assertThat(exceptions.caught).singleElement().isInstanceOf(WireException.class);
        advance(channel, FRAME_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void completeFramesOnlyNeverHitTheFrameTimeout() {
        EmbeddedChannel channel = frameOnly();
        send(channel, PING);
        advance(channel, FRAME_MS * 10);
        assertThat(channel.isOpen()).isTrue();
        assertThat(stats.connectionsClosedFrameTimeout()).isZero();
        assertThat(channel.finishAndReleaseAll()).isTrue(); // the decoded frame
    }

    @Test
    void theFrameClockDoesNotRunOutWhileTheServerHasStoppedReading() {
        EmbeddedChannel channel = frameOnly();
        send(channel, Arrays.copyOf(PING, 10));
        channel.config().setAutoRead(false); // as BackpressureHandler does when the peer does not read replies
        advance(channel, FRAME_MS * 3);
        assertThat(channel.isOpen()).isTrue();
        channel.config().setAutoRead(true);
        advance(channel, FRAME_MS);
        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedFrameTimeout()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionBeyondTheLimitIsClosedAndAClosedOneFreesItsPlace() {
        ConnectionLimit limit = new ConnectionLimit(2, stats);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        EmbeddedChannel third = new EmbeddedChannel();
        assertThat(limit.admit(first)).isTrue();
        assertThat(limit.admit(second)).isTrue();
        assertThat(limit.admit(third)).isFalse();
        assertThat(third.isOpen()).isFalse();
        assertThat(stats.openConnections()).isEqualTo(2);
        assertThat(stats.connectionsRejectedOverLimit()).isEqualTo(1);

        first.close();
        assertThat(stats.openConnections()).isEqualTo(1);
        EmbeddedChannel fourth = new EmbeddedChannel();
        assertThat(limit.admit(fourth)).isTrue();
        assertThat(stats.connectionsAccepted()).isEqualTo(3);
        second.close();
        fourth.close();
        assertThat(stats.openConnections()).isZero();
    }

    /** Decoder and idle handler only, on frozen time. */
    private EmbeddedChannel idleOnly() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(decoder(), new IdleTimeoutHandler(IDLE_MS, stats), exceptions);
        return channel;
    }

    /** Decoder and frame timeout handler only, on frozen time. */
    private EmbeddedChannel frameOnly() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        FrameDecoder decoder = decoder();
        channel.pipeline().addLast(decoder, new FrameTimeoutHandler(decoder, FRAME_MS, stats), exceptions);
        return channel;
    }

    private static FrameDecoder decoder() {
        return new FrameDecoder(Blob.registry(), new FrameLimits(4_096));
    }

    private static void send(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private static void advance(EmbeddedChannel channel, long ms) {
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }
}
