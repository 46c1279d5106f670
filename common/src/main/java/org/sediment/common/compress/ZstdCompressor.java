package org.sediment.common.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * Zstandard with a reused native context (about ten times faster than the static helpers on
 * small inputs) and an optional trained dictionary, which is what makes small units such as
 * single records compress at all. Not thread-safe.
 */
public final class ZstdCompressor implements Compressor, AutoCloseable {

    private final int level;
    private final ZstdDictionary dictionary;
    private final ZstdCompressCtx compressCtx = new ZstdCompressCtx();
    private final ZstdDecompressCtx decompressCtx = new ZstdDecompressCtx();

    public ZstdCompressor(int level) {
        this(level, null);
    }

    /** @param dictionary a trained dictionary, or null; both sides must use the same one */
    public ZstdCompressor(int level, ZstdDictionary dictionary) {
        if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
            throw new IllegalArgumentException("zstd level must be in [" + Zstd.minCompressionLevel()
                    + ", " + Zstd.maxCompressionLevel() + "], got " + level);
        }
        this.level = level;
        this.dictionary = dictionary;
        compressCtx.setLevel(level);
        // The frame records its decompressed size, which is what lets decompress() bound it.
        compressCtx.setContentSize(true);
        compressCtx.setChecksum(false);
        if (dictionary != null) {
            compressCtx.loadDict(dictionary.bytes());
            decompressCtx.loadDict(dictionary.bytes());
        }
    }

    @Override
    public String name() {
        return dictionary == null ? "zstd-" + level : "zstd-" + level + "+dict" + dictionary.id();
    }

    @Override
    public byte[] compress(byte[] input) {
        return compressCtx.compress(input);
    }

    @Override
    public byte[] decompress(byte[] input, int maxBytes) {
        long length = Zstd.getFrameContentSize(input);
        if (length < 0) {
            throw new CorruptDataException(
                    "not a zstd frame with a known size (" + input.length + " bytes)");
        }
        if (length > maxBytes) {
            throw new CorruptDataException("zstd frame expands to " + length + " bytes, limit " + maxBytes);
        }
        try {
            return decompressCtx.decompress(input, (int) length);
        } catch (ZstdException e) {
            throw new CorruptDataException("corrupt zstd frame (" + input.length + " bytes)", e);
        }
    }

    @Override
    public void close() {
        compressCtx.close();
        decompressCtx.close();
    }
}
