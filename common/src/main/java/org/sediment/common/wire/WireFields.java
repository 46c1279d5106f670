package org.sediment.common.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Bounded variable-length fields for codecs. Every read checks the declared length against both
 * a limit and the bytes actually present <em>before</em> allocating, so a garbage length in a
 * hostile frame costs nothing.
 */
public final class WireFields {

    private WireFields() {
    }

    /** A UTF-8 string with an unsigned 16-bit byte length; at most {@code maxBytes} bytes. */
    public static void writeString(ByteBuf out, String value, int maxBytes) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        checkWritable(bytes.length, Math.min(maxBytes, 0xFFFF), "string");
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    public static String readString(ByteBuf in, int maxBytes) {
        int length = in.readUnsignedShort();
        checkReadable(in, length, maxBytes, "string");
        String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return value;
    }

    /** A byte array with a 32-bit length; at most {@code maxBytes} bytes. */
    public static void writeBytes(ByteBuf out, byte[] value, int maxBytes) {
        checkWritable(value.length, maxBytes, "byte field");
        out.writeInt(value.length);
        out.writeBytes(value);
    }

    public static byte[] readBytes(ByteBuf in, int maxBytes) {
        int length = in.readInt();
        checkReadable(in, length, maxBytes, "byte field");
        byte[] value = new byte[length];
        in.readBytes(value);
        return value;
    }

    /**
     * The element count of a list: a 32-bit count, at most {@code max}, and (since every element
     * takes at least {@code minElementBytes}) no more than the rest of the body can hold. Call it
     * before sizing the list, so a hostile count allocates nothing.
     */
    public static int readCount(ByteBuf in, int max, int minElementBytes, String what) {
        int count = in.readInt();
        if (count < 0 || count > max) {
            throw WireException.badBody(what + " count " + count + " outside [0, " + max + "]");
        }
        if ((long) count * minElementBytes > in.readableBytes()) {
            throw WireException.badBody(what + " count " + count + " needs at least "
                    + (long) count * minElementBytes + " bytes but only " + in.readableBytes() + " are left");
        }
        return count;
    }

    /** Writes the count {@link #readCount} reads, failing first if it is above {@code max}. */
    public static void writeCount(ByteBuf out, int count, int max, String what) {
        if (count > max) {
            throw new IllegalArgumentException(what + " count " + count + " exceeds the limit of " + max);
        }
        out.writeInt(count);
    }

    /** An enum constant by its ordinal, one unsigned byte. */
    public static <E extends Enum<E>> E readEnum(ByteBuf in, E[] values, String what) {
        int ordinal = in.readUnsignedByte();
        if (ordinal >= values.length) {
            throw WireException.badBody("unknown " + what + " " + ordinal);
        }
        return values[ordinal];
    }

    public static void writeEnum(ByteBuf out, Enum<?> value) {
        out.writeByte(value.ordinal());
    }

    /** A boolean byte that must be 0 or 1: one encoding per value keeps bodies comparable. */
    public static boolean readBoolean(ByteBuf in, String what) {
        int b = in.readUnsignedByte();
        if (b > 1) {
            throw WireException.badBody(what + " flag must be 0 or 1, got " + b);
        }
        return b == 1;
    }

    /** Truncates {@code detail} so it always fits a string field of {@code maxBytes}. */
    public static String clip(String detail, int maxBytes) {
        if (detail.length() * 3 <= maxBytes) {
            return detail; // even all-3-byte UTF-8 fits
        }
        byte[] bytes = detail.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return detail;
        }
        // Cut by characters, then re-check: never split a surrogate pair.
        int chars = Math.min(detail.length(), maxBytes / 3);
        if (chars > 0 && Character.isHighSurrogate(detail.charAt(chars - 1))) {
            chars--;
        }
        return detail.substring(0, chars);
    }

    private static void checkWritable(int length, int maxBytes, String what) {
        if (length > maxBytes) {
            throw new IllegalArgumentException(what + " of " + length + " bytes exceeds the limit of " + maxBytes);
        }
    }

    private static void checkReadable(ByteBuf in, int length, int maxBytes, String what) {
        if (length < 0 || length > maxBytes) {
            throw WireException.badBody(what + " length " + length + " outside [0, " + maxBytes + "]");
        }
        if (length > in.readableBytes()) {
            throw WireException.badBody(what + " length " + length + " but only "
                    + in.readableBytes() + " bytes left in the body");
        }
    }
}
