package org.sediment.ssd.timeline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a timeline remembers of the last {@link #CAPACITY} requests applied to it: each request id
 * with where it took effect and how. A client that retries a write (after a timeout, on another
 * replica) sends the same id; the state machine answers the repeat with the first outcome
 * instead of applying it again, so retries are exactly-once while the first attempt is among the
 * timeline's last {@link #CAPACITY} requests. Part of the timeline's state, so it is decided
 * through Paxos, logged, checkpointed and carried in snapshots like the version: every replica
 * remembers the same requests.
 *
 * <p>Immutable; small enough that a linear search beats a map.
 */
public final class RequestMemory {

    /** Requests remembered per timeline. */
    public static final int CAPACITY = 256;
    /** Encoded bytes per remembered request. */
    public static final int ENTRY_BYTES = 8 + 8 + 1 + 1;
    /** A request id of 0 asks for no memory (the request cannot be retried). */
    public static final long NO_ID = 0;
    public static final RequestMemory EMPTY = new RequestMemory(new Remembered[0]);

    public enum Kind { APPENDED, WRITTEN, VERSION_MISMATCH }

    /** Request {@code requestId} was operation {@code index} of entry {@code entry}, with outcome {@code kind}. */
    public record Remembered(long requestId, long entry, int index, Kind kind) {
        public Remembered {
            if (requestId == NO_ID || entry < 1 || index < 0 || index > 0xff) {
                throw new IllegalArgumentException("invalid remembered request " + requestId + " at " + entry + "/" + index);
            }
        }
    }

    /** Oldest first. */
    private final Remembered[] entries;

    private RequestMemory(Remembered[] entries) {
        this.entries = entries;
    }

    public static RequestMemory of(List<Remembered> oldestFirst) {
        return EMPTY.with(oldestFirst);
    }

    /** The remembered outcome of {@code requestId}, or null. */
    public Remembered find(long requestId) {
        for (int i = entries.length - 1; i >= 0; i--) {
            if (entries[i].requestId() == requestId) {
                return entries[i];
            }
        }
        return null;
    }

    /** This memory with {@code added} (oldest first) remembered, the oldest forgotten past the capacity. */
    public RequestMemory with(List<Remembered> added) {
        if (added.isEmpty()) {
            return this;
        }
        int total = entries.length + added.size();
        int skip = Math.max(0, total - CAPACITY);
        Remembered[] next = new Remembered[total - skip];
        int at = 0;
        for (int i = 0; i < total; i++) {
            if (i >= skip) {
                next[at++] = i < entries.length ? entries[i] : added.get(i - entries.length);
            }
        }
        return new RequestMemory(next);
    }

    /** Oldest first. */
    public List<Remembered> entries() {
        return List.of(entries);
    }

    public int size() {
        return entries.length;
    }

    public int encodedBytes() {
        return 4 + entries.length * ENTRY_BYTES;
    }

    public void encodeInto(ByteBuffer out) {
        out.putInt(entries.length);
        for (Remembered r : entries) {
            out.putLong(r.requestId()).putLong(r.entry()).put((byte) r.index()).put((byte) r.kind().ordinal());
        }
    }

    /** @throws IllegalArgumentException the bytes are not a memory this build wrote */
    public static RequestMemory decode(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > CAPACITY || (long) count * ENTRY_BYTES > in.remaining()) {
            throw new IllegalArgumentException("corrupt request memory: " + count + " entries");
        }
        List<Remembered> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long id = in.getLong();
            long entry = in.getLong();
            int index = in.get() & 0xff;
            int kind = in.get() & 0xff;
            if (kind >= Kind.values().length) {
                throw new IllegalArgumentException("corrupt request memory: kind " + kind);
            }
            list.add(new Remembered(id, entry, index, Kind.values()[kind]));
        }
        return of(list);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestMemory m && Arrays.equals(m.entries, entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries);
    }

    @Override
    public String toString() {
        return "RequestMemory" + Arrays.toString(entries);
    }
}
