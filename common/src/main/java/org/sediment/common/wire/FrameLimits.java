package org.sediment.common.wire;

/**
 * Limits of the framing layer, shared by encoder and decoder.
 *
 * @param maxFrameBytes the largest whole frame (length field, header and body) either side
 *                      accepts; a larger length prefix closes the connection
 */
public record FrameLimits(int maxFrameBytes) {

    /** The largest value we allow for {@code maxFrameBytes}: 64 MiB; a frame is one request. */
    public static final int MAX_FRAME_BYTES_CEILING = 64 << 20;
    /** Fits a 64 KiB item value plus its key and header with room to spare. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

    public FrameLimits {
        if (maxFrameBytes < FrameHeader.MIN_FRAME_BYTES || maxFrameBytes > MAX_FRAME_BYTES_CEILING) {
            throw new IllegalArgumentException("maxFrameBytes must be in [" + FrameHeader.MIN_FRAME_BYTES
                    + ", " + MAX_FRAME_BYTES_CEILING + "], got " + maxFrameBytes);
        }
    }

    public static FrameLimits defaults() {
        return new FrameLimits(DEFAULT_MAX_FRAME_BYTES);
    }
}
