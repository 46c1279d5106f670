package org.sediment.ssd.log;

/**
 * Limits of a {@link GroupCommitLog}.
 *
 * @param recordBytesMax  largest payload one record may carry
 * @param batchRecordsMax most records written by one fsync
 * @param batchBytesMax   most bytes written by one fsync
 * @param pendingBytesMax buffers that records waiting for the disk may take before
 *                        {@code append} blocks: the backpressure that keeps memory bounded when
 *                        the disk falls behind (the log buffers in chunks of up to 1 MiB)
 * @param fileBytesMax    size at which the log starts a new file
 * @param lingerMicros    how long a record may wait for others to share its fsync, counted from
 *                        the oldest waiting record's arrival (a record that arrived during the
 *                        last fsync has waited already and is written at once); a full batch
 *                        never waits; 0 flushes at once (records that arrive during an fsync
 *                        still share the next one)
 * @param spareFilesMax   trimmed files kept for the log to write over instead of creating new
 *                        ones (see {@link GroupCommitLog}); 0 always creates new files
 */
public record GroupCommitConfig(
        int recordBytesMax,
        int batchRecordsMax,
        int batchBytesMax,
        long pendingBytesMax,
        long fileBytesMax,
        long lingerMicros,
        int spareFilesMax) {

    public GroupCommitConfig {
        require(recordBytesMax >= 1 && recordBytesMax <= 64 << 20, "recordBytesMax must be in [1, 64 MiB], got " + recordBytesMax);
        require(batchRecordsMax >= 1, "batchRecordsMax must be ≥ 1, got " + batchRecordsMax);
        require(batchBytesMax >= recordBytesMax, "batchBytesMax (" + batchBytesMax
                + ") must be ≥ recordBytesMax (" + recordBytesMax + ")");
        require(pendingBytesMax >= batchBytesMax, "pendingBytesMax (" + pendingBytesMax
                + ") must be ≥ batchBytesMax (" + batchBytesMax + ")");
        require(fileBytesMax >= batchBytesMax, "fileBytesMax (" + fileBytesMax
                + ") must be ≥ batchBytesMax (" + batchBytesMax + ")");
        require(spareFilesMax >= 0 && spareFilesMax <= 64, "spareFilesMax must be in [0, 64], got " + spareFilesMax);
        require(lingerMicros >= 0 && lingerMicros <= 100_000, "lingerMicros must be in [0, 100000], got " + lingerMicros);
    }

    public static GroupCommitConfig defaults() {
        return new GroupCommitConfig(1 << 20, 4096, 8 << 20, 64L << 20, 256L << 20, 0, 2);
    }

    public GroupCommitConfig withSpareFilesMax(int spareFiles) {
        return new GroupCommitConfig(recordBytesMax, batchRecordsMax, batchBytesMax, pendingBytesMax, fileBytesMax,
                lingerMicros, spareFiles);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
