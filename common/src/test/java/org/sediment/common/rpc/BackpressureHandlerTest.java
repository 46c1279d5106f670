package org.sediment.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.NoLeaks;

/** Reading stops while unsent replies are above the high water mark, and resumes below the low. */
@ExtendWith(NoLeaks.class)
class BackpressureHandlerTest {

    @Test
    void aPeerThatDoesNotReadStopsBeingRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new BackpressureHandler());
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        assertThat(channel.config().isAutoRead()).isTrue();

        channel.write(Unpooled.wrappedBuffer(new byte[32])); // queued, not flushed: above 16 bytes
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.flush(); // drained below 8 bytes
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.releaseOutbound();
        assertThat(channel.finish()).isFalse();
    }
}
