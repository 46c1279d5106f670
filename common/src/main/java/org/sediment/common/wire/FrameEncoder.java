package org.sediment.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link Frame}s as length-prefixed bytes (layout in {@link FrameHeader}). A frame above
 * {@code maxFrameBytes} is not sent: the write fails with a {@link WireException}
 * ({@link ErrorCode#TOO_LARGE}, wrapped in an {@code EncoderException}) and the connection stays
 * usable, because the peer would have to drop the connection on it anyway.
 */
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
    private final int maxFrameBytes;

    public FrameEncoder(FrameLimits limits) {
        super(Frame.class);
        this.maxFrameBytes = limits.maxFrameBytes();
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        encodeInto(frame, out, maxFrameBytes);
    }

    /**
     * Appends {@code frame} to {@code out}. On failure {@code out}'s writer index is restored, so
     * a caller batching several frames into one buffer keeps the ones before.
     */
    public static void encodeInto(Frame frame, ByteBuf out, int maxFrameBytes) {
        FrameHeader header = frame.header();
        int start = out.writerIndex();
        out.writeInt(0); // length, patched below once the body size is known
        out.writeShort(FrameHeader.MAGIC);
        out.writeByte(FrameHeader.PROTOCOL_VERSION);
        out.writeByte(header.kind().wireCode());
        out.writeLong(header.requestId());
        out.writeShort(header.messageTypeId());
        out.writeByte(header.businessPriority());
        out.writeByte(header.userPriority());
        out.writeLong(header.routeVersion());
        try {
            frame.type().writeUnchecked(frame.message(), out);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
        int frameBytes = out.writerIndex() - start;
        if (frameBytes > maxFrameBytes) {
            out.writerIndex(start);
            throw WireException.inFrame(ErrorCode.TOO_LARGE, header.requestId(),
                    frame.type() + " frame of " + frameBytes + " bytes exceeds maxFrameBytes " + maxFrameBytes);
        }
        out.setInt(start, frameBytes - FrameHeader.LENGTH_FIELD_BYTES);
    }
}
