package org.sediment.common.wire;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** The message types every Sediment process speaks: ids 1..255 belong to {@code common}. */
public final class BuiltinMessages {

    public static final MessageType<ErrorReply> ERROR_REPLY =
            new MessageType<>(1, "ErrorReply", ErrorReply.class, ErrorReply.CODEC);

    public static final MessageType<Ping> PING = new MessageType<>(2, "Ping", Ping.class, new MessageCodec<>() {
        @Override
        public void write(Ping ping, ByteBuf out) {
            out.writeLong(ping.nonce());
        }

        @Override
        public Ping read(ByteBuf in) {
            return new Ping(in.readLong());
        }
    });

    public static final MessageType<Pong> PONG = new MessageType<>(3, "Pong", Pong.class, new MessageCodec<>() {
        @Override
        public void write(Pong pong, ByteBuf out) {
            out.writeLong(pong.nonce());
        }

        @Override
        public Pong read(ByteBuf in) {
            return new Pong(in.readLong());
        }
    });

    public static final List<MessageType<?>> ALL = List.of(ERROR_REPLY, PING, PONG);

    private BuiltinMessages() {
    }
}
