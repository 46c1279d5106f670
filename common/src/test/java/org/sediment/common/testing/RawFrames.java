package org.sediment.common.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameEncoder;
import org.sediment.common.wire.FrameHeader;

/** Builds frames byte by byte, including ones no encoder would produce. Returns plain arrays. */
public final class RawFrames {

    private RawFrames() {
    }

    /** The bytes the real encoder writes for {@code frame}. */
    public static byte[] encode(Frame frame) {
        ByteBuf buf = TestBuffers.untracked();
        try {
            FrameEncoder.encodeInto(frame, buf, Integer.MAX_VALUE);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /**
     * A frame with every header field chosen by the caller; {@code length} is written as given
     * (pass -1 for the true length).
     */
    public static byte[] custom(long length, int magic, int version, int kind, long requestId, int typeId,
                                int businessPriority, int userPriority, long routeVersion, byte[] body) {
        ByteBuf buf = TestBuffers.untracked();
        try {
            long trueLength = FrameHeader.HEADER_BYTES + body.length;
            buf.writeInt((int) (length < 0 ? trueLength : length));
            buf.writeShort(magic);
            buf.writeByte(version);
            buf.writeByte(kind);
            buf.writeLong(requestId);
            buf.writeShort(typeId);
            buf.writeByte(businessPriority);
            buf.writeByte(userPriority);
            buf.writeLong(routeVersion);
            buf.writeBytes(body);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** A well-formed REQUEST header around an arbitrary body. */
    public static byte[] request(long requestId, int typeId, byte[] body) {
        return custom(-1, FrameHeader.MAGIC, FrameHeader.PROTOCOL_VERSION, 0, requestId, typeId, 0, 0, 0, body);
    }
}
