package org.sediment.ssd.paxos;

/**
 * Where a replica keeps the chosen values of its catch-up tails. They are kept in the order the
 * replica applied them and forgotten oldest first, when their bytes pass the replica's budget
 * ({@link PaxosConfig#tailBytesMax()}).
 *
 * <p>The tails hold seconds of a busy node's appends, long enough that a copying collector
 * moves every value before it is forgotten; a node keeps them off the Java heap for that
 * reason. {@link HeapTailValues} keeps them as they are.
 */
public interface TailValues {

    /** What {@link #keep} returns for a value it could not keep. */
    long NOT_KEPT = -1;

    /** Keeps {@code value} as the newest; returns a handle to read it by, or {@link #NOT_KEPT}. */
    long keep(Proposal value);

    /** The value kept under {@code handle}: a handle {@link #keep} returned and not yet forgotten. */
    Proposal get(long handle);

    /** Forgets the oldest value kept. */
    void forgetOldest();

    /** What the values kept cost, in bytes, as the budget counts them. */
    long bytesKept();
}
