package org.sediment.ssd.paxos;

/**
 * Tail values kept as they are, on the Java heap, in a growable ring; each costs its payload
 * plus a fixed {@link #OVERHEAD_BYTES} for the objects around it. Handles number the values
 * kept, so the ring finds one by subtraction.
 */
public final class HeapTailValues implements TailValues {

    /** Fixed cost per kept value on top of its payload: the proposal and map nodes. */
    static final long OVERHEAD_BYTES = 160;

    private Proposal[] ring = new Proposal[64];
    private int first;
    private int size;
    /** The handle of the value at {@code first}. */
    private long oldest;
    private long bytes;

    @Override
    public long keep(Proposal value) {
        if (size == ring.length) {
            Proposal[] larger = new Proposal[ring.length * 2];
            for (int i = 0; i < size; i++) {
                larger[i] = ring[(first + i) % ring.length];
            }
            ring = larger;
            first = 0;
        }
        ring[(first + size) % ring.length] = value;
        size++;
        bytes += cost(value);
        return oldest + size - 1;
    }

    @Override
    public Proposal get(long handle) {
        long index = handle - oldest;
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("no value kept under handle " + handle);
        }
        return ring[(int) ((first + index) % ring.length)];
    }

    @Override
    public void forgetOldest() {
        if (size == 0) {
            return;
        }
        bytes -= cost(ring[first]);
        ring[first] = null;
        first = (first + 1) % ring.length;
        size--;
        oldest++;
    }

    @Override
    public long bytesKept() {
        return bytes;
    }

    private static long cost(Proposal value) {
        return OVERHEAD_BYTES + value.payloadBytes();
    }
}
