package org.sediment.ssd.paxos;

/**
 * Limits of the core, all bounded and named with their unit. Ticks are the only notion of time
 * the core has; the shell decides how long a tick is (the simulator: one virtual millisecond).
 *
 * <p>{@code logTailEntries} is how many applied entries each timeline keeps for peers that catch
 * up; {@code tailBytesMax} bounds the value bytes of those tails over all timelines together, so
 * a replica serving millions of timelines does not keep hundreds of values for each. A peer
 * whose entries were forgotten catches up with a snapshot instead, sent in parts of about
 * {@code snapshotPartBytes} of items each, so a timeline of any size fits the shell's frames.
 *
 * <p>{@code timelinesKeptMax} bounds the timelines whose Paxos state the core keeps while they
 * are idle: past it, the least recently used idle timelines holding no promise or accepted value
 * are forgotten (their version is read again from the applied state when they return, and a
 * peer behind on one catches up from a snapshot). A timeline that does not exist is forgotten as
 * soon as the read or message that touched it is done.
 *
 * <p>{@code readLimitItems} is how many newest items a strong read returns with its version. The
 * simulator's checker needs them; a node reads its pages itself once the read's barrier is
 * passed, so it sets 0 and the core never touches the store for a read (a 20-item page read on
 * the core thread, then thrown away, was what every strong read and version check cost).
 */
public record PaxosConfig(
        int groupSize,
        int maxBatchOps,
        int maxQueuedOpsPerTimeline,
        int maxPrepareRounds,
        int rpcTimeoutTicks,
        int backoffBaseTicks,
        int backoffMaxTicks,
        int catchUpBatchEntries,
        int catchUpRetryTicks,
        int logTailEntries,
        int readProbeTimeoutTicks,
        int maxReadAttempts,
        int readLimitItems,
        int ballotCounterReserveChunk,
        int verifyRetryTicks,
        long tailBytesMax,
        int snapshotPartBytes,
        int timelinesKeptMax) {

    public PaxosConfig {
        require(groupSize >= 1 && groupSize % 2 == 1 && groupSize < (1 << Ballot.REPLICA_BITS) - 1,
                "groupSize must be odd and in 1..65533, got " + groupSize);
        require(maxBatchOps >= 1, "maxBatchOps must be >= 1");
        require(maxQueuedOpsPerTimeline >= maxBatchOps, "maxQueuedOpsPerTimeline must be >= maxBatchOps");
        require(maxPrepareRounds >= 1, "maxPrepareRounds must be >= 1");
        require(rpcTimeoutTicks >= 1 && readProbeTimeoutTicks >= 1 && catchUpRetryTicks >= 1
                && verifyRetryTicks >= 1, "timeouts must be >= 1 tick");
        require(backoffBaseTicks >= 1 && backoffMaxTicks >= backoffBaseTicks, "backoff ticks: 1 <= base <= max");
        require(catchUpBatchEntries >= 1 && logTailEntries >= catchUpBatchEntries,
                "logTailEntries must be >= catchUpBatchEntries >= 1");
        require(maxReadAttempts >= 1 && readLimitItems >= 0, "maxReadAttempts must be >= 1, readLimitItems >= 0");
        require(ballotCounterReserveChunk >= 1, "ballotCounterReserveChunk must be >= 1");
        require(tailBytesMax >= 0, "tailBytesMax must be >= 0");
        require(snapshotPartBytes >= 1024, "snapshotPartBytes must be >= 1024, got " + snapshotPartBytes);
        require(timelinesKeptMax >= 1, "timelinesKeptMax must be >= 1, got " + timelinesKeptMax);
    }

    public static PaxosConfig defaults() {
        return new PaxosConfig(3, 64, 4096, 6, 40, 4, 200, 64, 20, 256, 40, 8, 20, 1024, 25, 64L << 20, 2 << 20, 100_000);
    }

    /**
     * How far past its committed entry a replica takes part in an entry (accepts, promises, keeps a
     * learned value): an honest proposer works at its committed entry + 1, so only a replica far
     * behind, which catches up first, or a forged message goes further.
     */
    public int entriesAheadMax() {
        return ENTRIES_AHEAD_MAX;
    }

    static final int ENTRIES_AHEAD_MAX = 4_096;

    /** The same limits for a group of another size. */
    public PaxosConfig withGroupSize(int size) {
        return new PaxosConfig(size, maxBatchOps, maxQueuedOpsPerTimeline, maxPrepareRounds, rpcTimeoutTicks,
                backoffBaseTicks, backoffMaxTicks, catchUpBatchEntries, catchUpRetryTicks, logTailEntries,
                readProbeTimeoutTicks, maxReadAttempts, readLimitItems, ballotCounterReserveChunk, verifyRetryTicks,
                tailBytesMax, snapshotPartBytes, timelinesKeptMax);
    }

    public PaxosConfig withTailBytesMax(long bytes) {
        return new PaxosConfig(groupSize, maxBatchOps, maxQueuedOpsPerTimeline, maxPrepareRounds, rpcTimeoutTicks,
                backoffBaseTicks, backoffMaxTicks, catchUpBatchEntries, catchUpRetryTicks, logTailEntries,
                readProbeTimeoutTicks, maxReadAttempts, readLimitItems, ballotCounterReserveChunk, verifyRetryTicks,
                bytes, snapshotPartBytes, timelinesKeptMax);
    }

    public PaxosConfig withSnapshotPartBytes(int bytes) {
        return new PaxosConfig(groupSize, maxBatchOps, maxQueuedOpsPerTimeline, maxPrepareRounds, rpcTimeoutTicks,
                backoffBaseTicks, backoffMaxTicks, catchUpBatchEntries, catchUpRetryTicks, logTailEntries,
                readProbeTimeoutTicks, maxReadAttempts, readLimitItems, ballotCounterReserveChunk, verifyRetryTicks,
                tailBytesMax, bytes, timelinesKeptMax);
    }

    public PaxosConfig withTimelinesKeptMax(int timelines) {
        return new PaxosConfig(groupSize, maxBatchOps, maxQueuedOpsPerTimeline, maxPrepareRounds, rpcTimeoutTicks,
                backoffBaseTicks, backoffMaxTicks, catchUpBatchEntries, catchUpRetryTicks, logTailEntries,
                readProbeTimeoutTicks, maxReadAttempts, readLimitItems, ballotCounterReserveChunk, verifyRetryTicks,
                tailBytesMax, snapshotPartBytes, timelines);
    }

    public int majority() {
        return groupSize / 2 + 1;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
