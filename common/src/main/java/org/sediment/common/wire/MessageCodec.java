package org.sediment.common.wire;

import io.netty.buffer.ByteBuf;

/**
 * Writes one message record into a frame body and reads it back.
 *
 * <p>{@link #read} parses untrusted bytes. It must bound every length it reads before it
 * allocates (see {@link WireFields}) and signal invalid content by throwing
 * {@link WireException#badBody}, {@link IllegalArgumentException} (e.g. from a record's
 * constructor) or {@link IndexOutOfBoundsException} (body too short); the decoder turns those into
 * a {@link ErrorCode#BAD_FRAME} reply. Any other exception is treated as a bug in the codec.
 * It must not keep a reference to {@code in}: messages are plain records that own their data.
 */
public interface MessageCodec<T> {

    void write(T message, ByteBuf out);

    T read(ByteBuf in);
}
