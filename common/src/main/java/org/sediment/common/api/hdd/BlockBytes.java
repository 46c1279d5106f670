package org.sediment.common.api.hdd;

/** A block record's bytes, as read from a disk or to be written to one. */
public record BlockBytes(byte[] record) {

    public BlockBytes {
        if (record.length < 1 || record.length > HddApi.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a block record is 1.." + HddApi.MAX_RECORD_BYTES + " bytes, got "
                    + record.length);
        }
    }
}
