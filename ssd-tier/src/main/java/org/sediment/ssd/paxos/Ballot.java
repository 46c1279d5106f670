package org.sediment.ssd.paxos;

/**
 * Ballots are plain {@code long}s: {@code (counter << 16) | replicaId}. Comparing two ballots
 * compares counters first and breaks ties by replica id. {@link #FAST} (counter 0, id 0) is the
 * reserved lowest ballot used only by fast accept; every prepared ballot has counter >= 1.
 *
 * <p>The replica id inside a ballot is a per-timeline rank ({@link #rankOf}), a rotation of the
 * node index chosen by the timeline's hash, so ties between equal counters do not always go
 * to the same machine.
 */
public final class Ballot {
    public static final long FAST = 0L;
    public static final int REPLICA_BITS = 16;
    public static final long MAX_COUNTER = (1L << (63 - REPLICA_BITS)) - 1;

    private Ballot() {
    }

    public static long of(long counter, int replicaId) {
        assert counter >= 1 && counter <= MAX_COUNTER : "counter out of range: " + counter;
        assert replicaId > 0 && replicaId < (1 << REPLICA_BITS) : "replica id " + replicaId;
        return (counter << REPLICA_BITS) | replicaId;
    }

    public static long counter(long ballot) {
        return ballot >>> REPLICA_BITS;
    }

    public static int replicaId(long ballot) {
        return (int) (ballot & ((1 << REPLICA_BITS) - 1));
    }

    /** A bijection node index -> 1..groupSize that differs per timeline. */
    public static int rankOf(long timeline, int nodeIndex, int groupSize) {
        int spread = (int) Math.floorMod(mix(timeline), (long) groupSize);
        return 1 + Math.floorMod(nodeIndex + spread, groupSize);
    }

    /** Timeline hash (a 64-bit finaliser), also used by the simulator to pick replicas. */
    public static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    public static String format(long ballot) {
        return ballot == FAST ? "fast" : counter(ballot) + "." + replicaId(ballot);
    }
}
