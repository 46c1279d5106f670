package org.sediment.ssd.paxos;

/**
 * The handles of one timeline's most recently applied entries, which are consecutive: a ring of
 * primitive longs from the oldest entry kept. Keeping an entry allocates nothing once the ring
 * has grown to its size, and changes no reference, so a young collection has no card of it to
 * scan: with a sorted map, each append made a map entry and a boxed handle, and a replica
 * appends to thousands of timelines between two collections.
 */
final class TailRing {

    /** What {@link #get} returns for an entry not kept; never a kept value's handle. */
    static final long NONE = TailValues.NOT_KEPT;
    private static final long[] EMPTY = {};
    private static final int FIRST_CAPACITY = 4;

    private final int limit;
    private long[] handles = EMPTY;
    private int head;
    private int size;
    private long firstEntry;

    /** Keeps at most {@code limit} entries: adding one more forgets the oldest. */
    TailRing(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a tail keeps ≥ 1 entry, got " + limit);
        }
        this.limit = limit;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The oldest entry kept; only when not empty. */
    long firstEntry() {
        return firstEntry;
    }

    /** Keeps {@code entry}, which follows the newest one kept (any entry if empty). */
    void add(long entry, long handle) {
        if (size > 0 && entry != firstEntry + size) {
            assert false : "tail gap: entry " + entry + " after " + (firstEntry + size - 1);
            size = 0; // a tail has no gaps: start again from this entry
        }
        if (size == limit) {
            removeFirst();
        }
        if (size == handles.length) {
            grow();
        }
        if (size == 0) {
            firstEntry = entry;
            head = 0;
        }
        handles[(head + size) % handles.length] = handle;
        size++;
    }

    /** Forgets the oldest entry if it is {@code entry}. */
    void removeFirstIf(long entry) {
        if (size > 0 && firstEntry == entry) {
            removeFirst();
        }
    }

    void clear() {
        size = 0;
    }

    /** The handle of {@code entry}, or {@link #NONE} if it is not kept. */
    long get(long entry) {
        long offset = entry - firstEntry;
        if (size == 0 || offset < 0 || offset >= size) {
            return NONE;
        }
        return handles[(int) ((head + offset) % handles.length)];
    }

    private void removeFirst() {
        head = (head + 1) % handles.length;
        firstEntry++;
        size--;
    }

    private void grow() {
        int capacity = Math.min(limit, Math.max(FIRST_CAPACITY, handles.length * 2));
        long[] bigger = new long[capacity];
        for (int i = 0; i < size; i++) {
            bigger[i] = handles[(head + i) % handles.length];
        }
        handles = bigger;
        head = 0;
    }
}
