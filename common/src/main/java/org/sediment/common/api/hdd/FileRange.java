package org.sediment.common.api.hdd;

/**
 * Raw bytes of a block file, for a node rebuilding a lost disk from a peer: {@code length} bytes
 * at {@code offset} of file {@code file} on disk {@code disk}, answered as {@link BlockBytes}
 * (fewer at the file's end), with no record checks: a rebuild copies files whole.
 */
public record FileRange(int disk, long file, long offset, int length) {

    public FileRange {
        if (disk < 0 || file < 0 || offset < 0 || length < 1 || length > HddApi.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a file range needs disk, file, offset ≥ 0 and a length in [1, "
                    + HddApi.MAX_RECORD_BYTES + "], got " + disk + "/" + file + "@" + offset + "+" + length);
        }
    }
}
