package org.sediment.common.compress;

/**
 * Whole-buffer compression for blocks and segments. Implementations reuse native contexts, so
 * an instance is <b>not thread-safe</b>: each thread (or each pipeline stage) owns one.
 *
 * <p>Decompression is bounded: a buffer that claims to expand beyond {@code maxBytes} is
 * rejected before any memory is allocated for it, so a corrupt or hostile block cannot exhaust
 * the heap.
 */
public interface Compressor {

    String name();

    byte[] compress(byte[] input);

    /** @throws CorruptDataException if the input is not valid or expands past {@code maxBytes} */
    byte[] decompress(byte[] input, int maxBytes);
}
