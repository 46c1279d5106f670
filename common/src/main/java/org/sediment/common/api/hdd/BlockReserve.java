package org.sediment.common.api.hdd;

/**
 * Reserve {@code length} bytes at the end of file {@code file} on disk {@code disk}: the writer's
 * first step on each replica. Answered by a {@link BlockPlace} with the offset reserved.
 */
public record BlockReserve(int disk, long file, int length) {

    public BlockReserve {
        if (disk < 0 || file < 0 || length < 1 || length > HddApi.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a reservation needs disk, file ≥ 0 and a length in [1, "
                    + HddApi.MAX_RECORD_BYTES + "], got " + disk + "/" + file + "+" + length);
        }
    }
}
