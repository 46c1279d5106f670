package org.sediment.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns the inbound byte stream into {@link Frame}s. Never throws at the pipeline: every decode
 * failure becomes one {@link WireException}, fired through {@code exceptionCaught} in stream
 * order with the frames around it, for the error handler at the end of the pipeline to answer.
 *
 * <p>Two kinds of failure, because they differ in what can be trusted afterwards:
 * <ul>
 *   <li><b>framing</b> (wrong magic, a length beyond {@code maxFrameBytes} or shorter than the
 *       header): the next frame boundary is unknown. The exception is
 *       {@linkplain WireException#connectionFatal() fatal}; from then on every inbound byte is
 *       discarded unread, and the error handler closes the connection.</li>
 *   <li><b>content</b> (unsupported version, bad kind, unknown type, garbage body): the length
 *       was trusted, so the decoder skips exactly that frame and carries on with the next.</li>
 * </ul>
 *
 * <p>Magic and length are checked as soon as the first 6 bytes arrive, so a hostile peer cannot
 * make the server buffer up to {@code maxFrameBytes} of garbage before it notices.
 *
 * <p>Buffers: the cumulation is owned and released by {@link ByteToMessageDecoder}; a frame is a
 * non-retained slice of it, and decoded messages are copied into plain records, so nothing
 * downstream ever holds (or must release) a buffer.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private static final int PREFIX_BYTES = FrameHeader.MAGIC_OFFSET + 2;

    private final MessageRegistry registry;
    private final int maxFrameBytes;
    private boolean discarding;

    public FrameDecoder(MessageRegistry registry, FrameLimits limits) {
        this.registry = registry;
        this.maxFrameBytes = limits.maxFrameBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        // One frame per call: ByteToMessageDecoder passes `out` downstream before calling again,
        // which keeps frames and fired exceptions in stream order.
        try {
            Frame frame = tryDecode(in);
            if (frame != null) {
                out.add(frame);
            }
        } catch (WireException e) {
            if (e.connectionFatal()) {
                discarding = true;
                in.skipBytes(in.readableBytes());
            }
            ctx.fireExceptionCaught(e);
        }
    }

    /**
     * True if bytes of a frame that has not fully arrived are buffered: the decoder consumes whole
     * frames only, so whatever is left after a read is the start of the next one. False once the
     * framing broke (everything is being discarded). For handlers that bound how long a peer may
     * take to finish a frame; call on the channel's event loop.
     */
    public boolean holdsPartialFrame() {
        return !discarding && actualReadableBytes() > 0;
    }

    /**
     * Decodes the next frame of {@code in}, or returns {@code null} (consuming nothing) if it has
     * not fully arrived. On a content failure the frame's bytes are consumed before the
     * exception is thrown; on a framing failure nothing is consumed.
     *
     * @throws WireException the frame is bad; see the class comment for the two kinds
     */
    public Frame tryDecode(ByteBuf in) {
        int readable = in.readableBytes();
        if (readable < PREFIX_BYTES) {
            return null;
        }
        int start = in.readerIndex();
        int magic = in.getUnsignedShort(start + FrameHeader.MAGIC_OFFSET);
        if (magic != FrameHeader.MAGIC) {
            throw WireException.fatal(ErrorCode.BAD_FRAME,
                    String.format("wrong magic 0x%04x, expected 0x%04x", magic, FrameHeader.MAGIC));
        }
        long length = in.getUnsignedInt(start);
        long frameBytes = length + FrameHeader.LENGTH_FIELD_BYTES;
        if (frameBytes > maxFrameBytes) {
            throw WireException.fatal(ErrorCode.TOO_LARGE,
                    "frame of " + frameBytes + " bytes exceeds maxFrameBytes " + maxFrameBytes);
        }
        if (length < FrameHeader.HEADER_BYTES) {
            throw WireException.fatal(ErrorCode.BAD_FRAME,
                    "length " + length + " is shorter than the " + FrameHeader.HEADER_BYTES + "-byte header");
        }
        if (readable < frameBytes) {
            return null;
        }
        // From here the stream stays in sync whatever the content: the slice has been consumed.
        return parse(in.readSlice((int) frameBytes));
    }

    private Frame parse(ByteBuf frame) {
        long requestId = frame.getLong(FrameHeader.REQUEST_ID_OFFSET);
        int version = frame.getUnsignedByte(FrameHeader.VERSION_OFFSET);
        if (version != FrameHeader.PROTOCOL_VERSION) {
            throw WireException.inFrame(ErrorCode.UNSUPPORTED_VERSION, requestId,
                    "protocol version " + version + ", this peer speaks " + FrameHeader.PROTOCOL_VERSION);
        }
        int kindCode = frame.getUnsignedByte(FrameHeader.KIND_OFFSET);
        FrameKind kind = FrameKind.fromWireCode(kindCode);
        if (kind == null) {
            throw WireException.inFrame(ErrorCode.BAD_FRAME, requestId, "unknown frame kind " + kindCode);
        }
        frame.readerIndex(FrameHeader.REQUEST_ID_OFFSET + Long.BYTES);
        int typeId = frame.readUnsignedShort();
        int businessPriority = frame.readUnsignedByte();
        int userPriority = frame.readUnsignedByte();
        long routeVersion = frame.readLong();
        if (userPriority > FrameHeader.MAX_USER_PRIORITY) {
            throw WireException.inFrame(ErrorCode.BAD_FRAME, requestId,
                    "userPriority " + userPriority + " above " + FrameHeader.MAX_USER_PRIORITY);
        }
        MessageType<?> type = registry.find(typeId);
        if (type == null) {
            throw WireException.inFrame(ErrorCode.UNKNOWN_TYPE, requestId, "unknown message type " + typeId);
        }
        if ((kind == FrameKind.ERROR) != (type == BuiltinMessages.ERROR_REPLY)) {
            throw WireException.inFrame(ErrorCode.BAD_FRAME, requestId,
                    kind + " frame cannot carry " + type);
        }
        Object message = readBody(type, frame, requestId);
        if (frame.isReadable()) {
            throw WireException.inFrame(ErrorCode.BAD_FRAME, requestId,
                    frame.readableBytes() + " trailing bytes after the " + type + " body");
        }
        FrameHeader header = new FrameHeader(kind, requestId, typeId, businessPriority, userPriority, routeVersion);
        return new Frame(header, type, message);
    }

    private static Object readBody(MessageType<?> type, ByteBuf body, long requestId) {
        try {
            return type.codec().read(body);
        } catch (WireException e) {
            throw WireException.inFrame(ErrorCode.BAD_FRAME, requestId, type + " body: " + e.detail());
        } catch (IndexOutOfBoundsException e) {
            throw WireException.inFrame(ErrorCode.BAD_FRAME, requestId, type + " body is truncated");
        } catch (IllegalArgumentException e) {
            throw WireException.inFrame(ErrorCode.BAD_FRAME, requestId, type + " body: " + e.getMessage());
        }
        // Anything else escapes as a DecoderException: a codec bug, answered INTERNAL and counted.
    }
}
