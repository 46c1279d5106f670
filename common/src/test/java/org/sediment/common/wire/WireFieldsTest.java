package org.sediment.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.NoLeaks;

/** Bounded fields: limits on write, bounds checked before allocation on read. */
@ExtendWith(NoLeaks.class)
class WireFieldsTest {

    @Test
    void stringsAndBytesRoundTrip() {
        ByteBuf buf = Unpooled.buffer();
        try {
            WireFields.writeString(buf, "水é-x", 16);
            WireFields.writeBytes(buf, new byte[] {1, 2, 3}, 3);
            assertThat(WireFields.readString(buf, 16)).isEqualTo("水é-x");
            assertThat(WireFields.readBytes(buf, 3)).containsExactly(1, 2, 3);
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void writesAboveTheLimitFailBeforeWritingAnything() {
        ByteBuf buf = Unpooled.buffer();
        try {
            assertThatIllegalArgumentException().isThrownBy(() -> WireFields.writeString(buf, "水水", 5))
                    .withMessage("string of 6 bytes exceeds the limit of 5");
            assertThatIllegalArgumentException().isThrownBy(() -> WireFields.writeBytes(buf, new byte[4], 3))
                    .withMessage("byte field of 4 bytes exceeds the limit of 3");
            assertThat(buf.writerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void hostileLengthsAreRejectedWithoutAllocating() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeInt(-5);
            assertThatThrownBy(() -> WireFields.readBytes(buf, 100)).isInstanceOf(WireException.class)
                    .hasMessage("BAD_FRAME: byte field length -5 outside [0, 100]");
            buf.clear().writeInt(50).writeBytes(new byte[10]);
            assertThatThrownBy(() -> WireFields.readBytes(buf, 100)).isInstanceOf(WireException.class)
                    .hasMessage("BAD_FRAME: byte field length 50 but only 10 bytes left in the body");
            buf.clear().writeShort(65_535);
            assertThatThrownBy(() -> WireFields.readString(buf, 512)).isInstanceOf(WireException.class)
                    .hasMessage("BAD_FRAME: string length 65535 outside [0, 512]");
        } finally {
            buf.release();
        }
    }

    @Test
    void countsAreBoundedByTheLimitAndByTheBytesLeft() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeInt(3).writeBytes(new byte[24]);
            assertThat(WireFields.readCount(buf, 10, 8, "item")).isEqualTo(3);
            buf.clear().writeInt(11);
            assertThatThrownBy(() -> WireFields.readCount(buf, 10, 8, "item")).isInstanceOf(WireException.class)
                    .hasMessage("BAD_FRAME: item count 11 outside [0, 10]");
            buf.clear().writeInt(-1);
            assertThatThrownBy(() -> WireFields.readCount(buf, 10, 8, "item")).isInstanceOf(WireException.class)
                    .hasMessage("BAD_FRAME: item count -1 outside [0, 10]");
            buf.clear().writeInt(4).writeBytes(new byte[31]);
            assertThatThrownBy(() -> WireFields.readCount(buf, 10, 8, "item")).isInstanceOf(WireException.class)
                    .hasMessage("BAD_FRAME: item count 4 needs at least 32 bytes but only 31 are left");
            assertThatIllegalArgumentException().isThrownBy(() -> WireFields.writeCount(buf, 11, 10, "item"))
                    .withMessage("item count 11 exceeds the limit of 10");
        } finally {
            buf.release();
        }
    }

    @Test
    void enumsAndFlagsAcceptOnlyTheirValues() {
        ByteBuf buf = Unpooled.buffer();
        try {
            WireFields.writeEnum(buf, FrameKind.ERROR);
            buf.writeByte(FrameKind.values().length).writeByte(1).writeByte(0).writeByte(2);
            assertThat(WireFields.readEnum(buf, FrameKind.values(), "kind")).isEqualTo(FrameKind.ERROR);
            assertThatThrownBy(() -> WireFields.readEnum(buf, FrameKind.values(), "kind"))
                    .isInstanceOf(WireException.class).hasMessage("BAD_FRAME: unknown kind " + FrameKind.values().length);
            assertThat(WireFields.readBoolean(buf, "found")).isTrue();
            assertThat(WireFields.readBoolean(buf, "found")).isFalse();
            assertThatThrownBy(() -> WireFields.readBoolean(buf, "found")).isInstanceOf(WireException.class)
                    .hasMessage("BAD_FRAME: found flag must be 0 or 1, got 2");
        } finally {
            buf.release();
        }
    }

    @Test
    void errorDetailsAreClippedToFitTheirField() {
        String huge = "水".repeat(1_000) + "\uD83D\uDE00";
        ErrorReply reply = new ErrorReply(ErrorCode.INTERNAL, 1, huge);
        assertThat(reply.detail().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ErrorReply.DETAIL_BYTES_MAX);
        assertThat(reply.detail()).startsWith("水水水");
        String emojis = "\uD83D\uDE00".repeat(300); // surrogate pairs must not be split
        String clipped = WireFields.clip(emojis, 512);
        assertThat(clipped.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512);
        assertThat(Character.isHighSurrogate(clipped.charAt(clipped.length() - 1))).isFalse();
        assertThat(new ErrorReply(ErrorCode.INTERNAL, 1, "short").detail()).isEqualTo("short");
    }
}
