package org.sediment.common.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A message that can travel in a frame body: its numeric id on the wire, a name for logs, the
 * record class and its codec. Each module declares its own types as constants and registers them
 * in the {@link MessageRegistry} of the process that speaks them; {@code common} never needs to
 * know them.
 *
 * <p>Id ranges, so modules never collide: {@code common} 1..255, {@code router} 256..1023,
 * {@code ssd-tier} 1024..2047, {@code memory-tier} 2048..3071, {@code hdd-tier} 3072..4095,
 * {@code sinker} 4096..5119, tests and benchmarks 60000..65535.
 */
public record MessageType<T>(int id, String name, Class<T> javaType, MessageCodec<T> codec) {

    public static final int MAX_ID = 0xFFFF;

    public MessageType {
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException("message type id " + id + " out of range [1, " + MAX_ID + "]");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(javaType, "javaType");
        Objects.requireNonNull(codec, "codec");
    }

    /** Encodes {@code message}, which the caller has checked is a {@code T}. */
    void writeUnchecked(Object message, ByteBuf out) {
        codec.write(javaType.cast(message), out);
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
