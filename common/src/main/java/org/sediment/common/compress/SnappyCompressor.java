package org.sediment.common.compress;

import java.io.IOException;
import org.xerial.snappy.Snappy;

/** Snappy: fast and light, for hot LSM segments. Stateless, so also thread-safe. */
public final class SnappyCompressor implements Compressor {

    @Override
    public String name() {
        return "snappy";
    }

    @Override
    public byte[] compress(byte[] input) {
        try {
            return Snappy.compress(input);
        } catch (IOException e) {
            throw new IllegalStateException("snappy failed to compress " + input.length + " bytes", e);
        }
    }

    @Override
    public byte[] decompress(byte[] input, int maxBytes) {
        try {
            if (!Snappy.isValidCompressedBuffer(input)) {
                throw new CorruptDataException("not a valid snappy buffer (" + input.length + " bytes)");
            }
            int length = Snappy.uncompressedLength(input);
            if (length < 0 || length > maxBytes) {
                throw new CorruptDataException(
                        "snappy buffer expands to " + length + " bytes, limit " + maxBytes);
            }
            return Snappy.uncompress(input);
        } catch (IOException e) {
            throw new CorruptDataException("corrupt snappy buffer (" + input.length + " bytes)", e);
        }
    }
}
