package org.sediment.common.api.hdd;

/**
 * Write {@code record} at the reserved {@code offset} of file {@code file} on disk {@code disk},
 * and sync it before answering (with the {@link BlockPlace} written).
 */
public record BlockWrite(int disk, long file, long offset, byte[] record) {

    public BlockWrite {
        if (disk < 0 || file < 0 || offset < 0 || record.length < 1 || record.length > HddApi.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a block write needs disk, file, offset ≥ 0 and 1.."
                    + HddApi.MAX_RECORD_BYTES + " bytes, got " + disk + "/" + file + "@" + offset + "+" + record.length);
        }
    }
}
