package org.sediment.common.api.hdd;

/**
 * "The record at {@code offset} of file {@code file} on disk {@code disk}": what a cold link
 * names, read with one positioned read. Answered by a {@link BlockBytes} holding exactly
 * {@code length} bytes, whose CRCs the node checked; a block the node does not have, or whose
 * copy is damaged, is answered {@code NOT_FOUND} (and repaired), and the reader asks another
 * replica.
 */
public record BlockRead(int disk, long file, long offset, int length) {

    public BlockRead {
        if (disk < 0 || file < 0 || offset < 0 || length < 1 || length > HddApi.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a block read needs disk, file, offset ≥ 0 and a length in [1, "
                    + HddApi.MAX_RECORD_BYTES + "], got " + disk + "/" + file + "@" + offset + "+" + length);
        }
    }
}
