package org.sediment.common.wire;

import io.netty.buffer.ByteBuf;

/**
 * The body of every {@link FrameKind#ERROR} frame.
 *
 * @param currentRouteVersion the server's route version: the new version for
 *                            {@link ErrorCode#STALE_ROUTE}, informative otherwise
 * @param detail              for humans and logs, at most {@link #DETAIL_BYTES_MAX} UTF-8 bytes;
 *                            callers react to the code only
 */
public record ErrorReply(ErrorCode code, long currentRouteVersion, String detail) {

    public static final int DETAIL_BYTES_MAX = 512;

    public ErrorReply {
        if (code == null || detail == null) {
            throw new IllegalArgumentException("code and detail must not be null");
        }
        detail = WireFields.clip(detail, DETAIL_BYTES_MAX);
    }

    static final MessageCodec<ErrorReply> CODEC = new MessageCodec<>() {
        @Override
        public void write(ErrorReply reply, ByteBuf out) {
            out.writeShort(reply.code().wireCode());
            out.writeLong(reply.currentRouteVersion());
            WireFields.writeString(out, reply.detail(), DETAIL_BYTES_MAX);
        }

        @Override
        public ErrorReply read(ByteBuf in) {
            int wireCode = in.readUnsignedShort();
            ErrorCode code = ErrorCode.fromWireCode(wireCode);
            if (code == null) {
                throw WireException.badBody("unknown error code " + wireCode);
            }
            long routeVersion = in.readLong();
            return new ErrorReply(code, routeVersion, WireFields.readString(in, DETAIL_BYTES_MAX));
        }
    };
}
