package org.sediment.ssd.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.iq80.leveldb.WriteBatch;
import org.sediment.common.key.ItemKey;

/**
 * One apply's row changes, gathered per segment into one LevelDB batch each and written with
 * {@link #writeAll}. Each segment is leased from its first change until its batch is written, so
 * it stays open in between: values {@link Segment#stored} staged in its value log wait for the
 * batch that points to them.
 *
 * <p>When another segment cannot open without waiting for room, the batches gathered so far are
 * written first and their leases released, and only then does the apply wait
 * ({@link OpenSegments}: no thread waits for room while holding a lease). A segment may so take
 * one apply's changes in two batches; each is atomic, so after a crash the segment still holds a
 * prefix of its writes, which replay from the log completes (STORAGE.md). For the apply thread only.
 */
final class ApplyBatches implements AutoCloseable {

    private final OpenSegments segments;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();

    private record Pending(OpenSegments.Lease lease, WriteBatch batch) {
    }

    ApplyBatches(OpenSegments segments) {
        this.segments = segments;
    }

    /** Puts an item into segment {@code number}, which is created if need be. */
    void put(long number, ItemKey key, byte[] value) {
        Pending p = pendingFor(number, true);
        p.batch.put(key.encode(), p.lease.segment().stored(value));
    }

    /** Deletes an item from segment {@code number}; nothing if there is no such segment (none is created for it). */
    void delete(long number, ItemKey key) {
        Pending p = pendingFor(number, false);
        if (p != null) {
            p.batch.delete(key.encode());
        }
    }

    private Pending pendingFor(long number, boolean create) {
        Pending p = pending.get(number);
        if (p != null) {
            return p;
        }
        if (!create && !segments.exists(number)) {
            return null;
        }
        OpenSegments.Lease lease = segments.tryLease(number, create);
        if (lease == null) { // no room without waiting (or just dropped): give back what this apply holds
            writeAll();
            lease = create ? segments.leaseOrCreate(number) : segments.lease(number);
            if (lease == null) {
                return null;
            }
        }
        try {
            p = new Pending(lease, lease.segment().newBatch());
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        pending.put(number, p);
        return p;
    }

    /** Writes every gathered batch (each atomic in its segment), marks the segments dirty and releases them. */
    void writeAll() {
        try {
            for (Pending p : pending.values()) {
                p.lease.segment().write(p.batch);
                p.lease.markDirty();
            }
        } finally {
            close();
        }
    }

    /** Releases every lease and drops what is not written yet. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (Pending p : pending.values()) {
            try {
                p.batch.close();
            } catch (IOException e) {
                failure = failure == null ? new UncheckedIOException(e) : failure;
            } finally {
                p.lease.close();
            }
        }
        pending.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
