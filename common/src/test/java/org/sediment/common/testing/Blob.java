package org.sediment.common.testing;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.wire.MessageCodec;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.common.wire.MessageType;
import org.sediment.common.wire.WireFields;

/**
 * A test message with every kind of field a tier message has (fixed, string, bytes), registered
 * the way a tier registers its own types: from outside {@code common}'s wire package.
 */
public record Blob(long owner, String label, byte[] data) {

    public static final int LABEL_BYTES_MAX = 64;
    public static final int DATA_BYTES_MAX = 256 * 1024;

    public static final MessageType<Blob> TYPE = new MessageType<>(60_001, "Blob", Blob.class, new MessageCodec<>() {
        @Override
        public void write(Blob blob, ByteBuf out) {
            out.writeLong(blob.owner());
            WireFields.writeString(out, blob.label(), LABEL_BYTES_MAX);
            WireFields.writeBytes(out, blob.data(), DATA_BYTES_MAX);
        }

        @Override
        public Blob read(ByteBuf in) {
            long owner = in.readLong();
            String label = WireFields.readString(in, LABEL_BYTES_MAX);
            return new Blob(owner, label, WireFields.readBytes(in, DATA_BYTES_MAX));
        }
    });

    /** Echo: the server answers a Blob with the same Blob. */
    public static final RpcMethod<Blob, Blob> ECHO = new RpcMethod<>(TYPE, TYPE, true);

    public static MessageRegistry registry() {
        return MessageRegistry.builder().registerAll(List.of(TYPE)).build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Blob b && b.owner == owner && b.label.equals(label) && Arrays.equals(b.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(owner) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Blob[" + owner + ", " + label + ", " + data.length + " bytes]";
    }
}
