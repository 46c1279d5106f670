package org.sediment.ssd.storage;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.sediment.common.time.Clock;

/**
 * A store's item segments: every one on disk, and at most {@link SegmentPolicy#maxOpenSegments()}
 * of them open. When another must open, the least recently used one that nobody uses closes;
 * a closed segment opens again (its table indexes loaded eagerly, {@link EagerTables}) when it
 * is next used. Each open segment holds descriptors (LevelDB's log, manifest, lock and tables,
 * and a value log), a compaction thread and megabytes of memtable and cache, so without the
 * bound, writes spread over many weeks of item time held one open LevelDB per week until the
 * process ran out of descriptors.
 *
 * <p>Assumptions and guarantees:
 * <ul>
 * <li>Every use of a segment holds a {@link Lease} on it, taken before and closed after. A
 *     segment closes only when it has no lease: a lease count that drops to zero may be retired
 *     ({@code 0 → RETIRED}, one compare-and-set), after which no lease is granted on that object
 *     and it closes; a later use opens the segment again.</li>
 * <li>At no moment are more than {@code maxOpenSegments} segments open: a segment is opened only
 *     under {@link #lock}, after a count under the bound or another segment closed.</li>
 * <li>A segment written since it was last synced (dirty) is synced before it closes. The writer
 *     marks a segment dirty while holding its lease ({@link Lease#markDirty}), and
 *     {@link #syncDirty} unmarks one only while holding a lease on it, so neither can happen
 *     between a closing segment's check and its sync. So a checkpoint that finds a dirty segment
 *     closed knows it was synced since it was written.</li>
 * <li>The newest {@code hotSegments} windows (by the clock, now) never close to make room; so at
 *     most {@code hotSegments} of the open segments are spoken for, and the policy asks for at
 *     least {@link SegmentPolicy#MIN_CLOSABLE_OPEN_SEGMENTS} more.</li>
 * <li>No deadlock: a thread that finds no room waits, holding no lease. Readers hold one lease
 *     at a time; the apply thread alone holds several (one per segment of a batch), and when it
 *     finds no room it writes its batches and releases those leases before it waits
 *     ({@link #tryLease}, {@link ApplyBatches}). So every lease a waiter waits for is held by a
 *     thread that will release it without waiting for room itself.</li>
 * <li>No starvation: threads waiting for room are served in order of arrival ({@link #roomQueue}),
 *     and a lease on a segment already open never waits.</li>
 * </ul>
 * A lease on an open segment is a map lookup and a compare-and-set; opening and closing are
 * serialised under one lock, as they were before the bound.
 */
final class OpenSegments implements AutoCloseable {

    private static final int RETIRED = -1;

    private final Path dir;
    private final SegmentPolicy policy;
    private final Clock clock;
    /** Segments from this one on are tuned hot (as of the store's open; see {@link #isHot}). */
    private final long hotFromSegment;
    /** Every segment on disk, newest first, which is the order timeline pages read them in. */
    private final NavigableSet<Long> present = new ConcurrentSkipListSet<>(Comparator.reverseOrder());
    private final ConcurrentHashMap<Long, Entry> open = new ConcurrentHashMap<>();
    /** Segments written since they were last synced: a checkpoint syncs them, and so does closing one. */
    private final Set<Long> dirty = ConcurrentHashMap.newKeySet();
    /** Ticks once per lease: the order of last use, which picks the segment to close. */
    private final AtomicLong uses = new AtomicLong();
    /**
     * Threads that may wait under {@link #lock} for a lease to be released. A release that
     * leaves a segment unused notifies only while this is positive, so readers of open segments
     * never take the lock. (A waiter counts itself before it looks for a closable segment; a
     * release that segment's look missed comes after that count in the order of atomic actions,
     * so it sees the count and notifies.)
     */
    private final AtomicInteger mayWait = new AtomicInteger();
    /**
     * Threads waiting for room to open a segment, in order of arrival; only the first may take
     * room that frees, and a thread arriving while any waits queues behind them. Without the
     * order, readers that release one segment and at once open the next took every slot that
     * freed, and the apply thread waited for minutes. Under {@link #lock}.
     */
    private final ArrayDeque<Object> roomQueue = new ArrayDeque<>();
    /** Opening, closing and dropping segments, and waiting for room. */
    private final Object lock = new Object();
    private int mostOpen;
    private long closedForRoom;
    private boolean compactionsSuspended;
    private boolean closed;

    OpenSegments(Path dir, SegmentPolicy policy, Clock clock) {
        this.dir = dir;
        this.policy = policy;
        this.clock = clock;
        this.hotFromSegment = policy.segmentOf(clock.epochMillis()) - policy.hotSegments() + 1;
    }

    /** A use of one open segment; close it when done. Confined to the thread that took it. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        Segment segment() {
            assert !released : "segment " + entry.segment.number + " used after its lease was released";
            return entry.segment;
        }

        /** Records that the segment was written: call after the write, before closing the lease. */
        void markDirty() {
            assert !released;
            dirty.add(entry.segment.number);
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            release(entry);
        }
    }

    /** Records a segment found on disk at the store's open; it opens on first use. */
    void found(long number) {
        Segment.checkTagged(dirOf(number), number);
        present.add(number);
    }

    /** Opens the newest segments present, as many as may be open, so the first reads find them ready. */
    void openNewest() {
        List<Long> newest = present.stream().limit(policy.maxOpenSegments()).toList();
        for (Long number : newest.reversed()) { // oldest first: the newest is then the most recently used
            try (Lease lease = lease(number)) {
                assert lease != null;
            }
        }
    }

    boolean exists(long number) {
        return present.contains(number);
    }

    /** Segment numbers present, newest first. */
    List<Long> numbers() {
        return List.copyOf(present);
    }

    /** Segment numbers present from {@code number} on to the oldest, newest first (a live view). */
    NavigableSet<Long> fromNewestAt(long number) {
        return present.tailSet(number, true);
    }

    /** Whether a segment is tuned hot: from the newest {@code hotSegments} windows as of the store's open on. */
    boolean isHot(long number) {
        return number >= hotFromSegment;
    }

    /** A lease on an existing segment, opened if it is closed (waiting for room if need be); null if none exists. */
    Lease lease(long number) {
        return acquire(number, false, true);
    }

    /** A lease on the segment, opened or created if need be (waiting for room if need be). */
    Lease leaseOrCreate(long number) {
        return acquire(number, true, true);
    }

    /**
     * As {@link #lease} or {@link #leaseOrCreate}, but null instead of waiting for room: for the
     * apply thread, which holds other leases and must release them before it waits.
     */
    Lease tryLease(long number, boolean create) {
        return acquire(number, create, false);
    }

    /** A lease on the segment if it is open now (after any close under way has finished), else null. */
    Lease leaseIfOpen(long number) {
        Entry entry = open.get(number);
        if (entry != null && entry.tryLease()) {
            return leased(entry);
        }
        synchronized (lock) {
            checkNotClosed();
            entry = open.get(number);
            // Under the lock no retired entry is in the map: retiring, closing and removing happen
            // under it in one go. One that waits to be dropped still has leases: take one.
            return entry != null && entry.tryLease() ? leased(entry) : null;
        }
    }

    private Lease acquire(long number, boolean create, boolean waitForRoom) {
        Entry entry = open.get(number);
        if (entry != null && entry.tryLease()) {
            if (present.contains(number)) {
                return leased(entry);
            }
            release(entry); // being dropped
        }
        mayWait.incrementAndGet();
        Object place = null; // in roomQueue, once this thread waits for room
        try {
            synchronized (lock) {
                try {
                    while (true) {
                        checkNotClosed();
                        entry = open.get(number);
                        if (entry != null) {
                            if (!present.contains(number)) {
                                awaitChange(); // being dropped: wait until it is gone
                                continue;
                            }
                            if (!entry.tryLease()) {
                                throw new IllegalStateException("segment " + number + " is retired but still listed open");
                            }
                            return leased(entry);
                        }
                        if (!create && !present.contains(number)) {
                            return null;
                        }
                        boolean turn = place == null ? roomQueue.isEmpty() : roomQueue.peekFirst() == place;
                        if (turn && (open.size() < policy.maxOpenSegments() || closeLeastRecentlyUsed())) {
                            return leased(openNow(number));
                        }
                        if (!waitForRoom) {
                            return null;
                        }
                        if (place == null) {
                            place = new Object();
                            roomQueue.addLast(place);
                        }
                        awaitChange();
                    }
                } finally {
                    if (place != null) {
                        roomQueue.remove(place);
                        lock.notifyAll(); // the next in line may have room now
                    }
                }
            }
        } finally {
            mayWait.decrementAndGet();
        }
    }

    /** Opens (or creates) a segment; under {@link #lock}, with room for it. Returns it with one lease. */
    private Entry openNow(long number) {
        assert Thread.holdsLock(lock) && open.size() < policy.maxOpenSegments();
        Entry entry = new Entry(Segment.openItems(dirOf(number), number, isHot(number), policy));
        try {
            if (compactionsSuspended) {
                entry.segment.suspendCompactions();
            }
        } catch (InterruptedException e) {
            entry.segment.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pausing compaction of segment " + number, e);
        }
        boolean leased = entry.tryLease();
        assert leased;
        open.put(number, entry);
        present.add(number);
        mostOpen = Math.max(mostOpen, open.size());
        assert open.size() <= policy.maxOpenSegments() : open.size() + " segments open";
        return entry;
    }

    /**
     * Closes the least recently used open segment that is not in use and not one of the newest
     * windows; syncs it first if it is dirty. Under {@link #lock}. False if every open segment is
     * in use or hot.
     */
    private boolean closeLeastRecentlyUsed() {
        assert Thread.holdsLock(lock);
        long newest = policy.segmentOf(clock.epochMillis());
        List<Entry> candidates = new ArrayList<>();
        for (Entry entry : open.values()) {
            long number = entry.segment.number;
            boolean staysOpen = number > newest - policy.hotSegments() && number <= newest;
            if (!staysOpen && entry.leases.get() == 0) {
                candidates.add(entry);
            }
        }
        candidates.sort(Comparator.comparingLong(entry -> entry.lastUse));
        for (Entry victim : candidates) {
            if (victim.tryRetire()) { // else leased since the look: try the next
                closeRetired(victim);
                closedForRoom++;
                return true;
            }
        }
        return false;
    }

    /** Syncs (if dirty), closes and forgets a retired segment; under {@link #lock}. */
    private void closeRetired(Entry entry) {
        assert Thread.holdsLock(lock) && entry.leases.get() == RETIRED;
        long number = entry.segment.number;
        // Nobody can mark it dirty now (that takes a lease) nor unmark it (syncDirty takes one too).
        if (dirty.contains(number)) {
            try {
                entry.segment.sync();
            } catch (RuntimeException e) {
                entry.leases.set(0); // still open, still dirty: the next checkpoint tries again
                throw e;
            }
            dirty.remove(number);
        }
        open.remove(number);
        entry.segment.close();
    }

    /**
     * Syncs every segment written since it was last synced. A segment is unmarked before its sync
     * starts, so a write during the sync marks it again for the next checkpoint. One found closed
     * was synced as it closed ({@link #closeRetired}) or dropped.
     */
    void syncDirty() {
        for (Long number : List.copyOf(dirty)) {
            Lease lease = leaseIfOpen(number);
            if (lease == null) {
                continue;
            }
            try (lease) {
                dirty.remove(number);
                lease.segment().sync();
            } catch (RuntimeException e) {
                dirty.add(number);
                throw e;
            }
        }
    }

    /**
     * Closes and deletes a segment, waiting for its leases to be released; new uses no longer find
     * it from the start of the call. Nothing to sync: its items go.
     */
    void drop(long number) {
        mayWait.incrementAndGet();
        try {
            synchronized (lock) {
                checkNotClosed();
                if (!present.remove(number)) {
                    return;
                }
                Entry entry = open.get(number);
                if (entry != null) {
                    while (!entry.tryRetire()) {
                        awaitChange();
                    }
                    open.remove(number);
                    entry.segment.close();
                }
                dirty.remove(number);
                deleteRecursively(dirOf(number));
                lock.notifyAll(); // uses of this number waited for it to go
            }
        } finally {
            mayWait.decrementAndGet();
        }
    }

    /** Pauses background compaction in every segment, open now or opened later, until {@link #resumeCompactions}. */
    void suspendCompactions() throws InterruptedException {
        for (Long number : setCompactionsSuspended(true)) {
            Lease lease = leaseIfOpen(number);
            if (lease != null) {
                try (lease) {
                    lease.segment().suspendCompactions();
                }
            }
        }
    }

    void resumeCompactions() {
        for (Long number : setCompactionsSuspended(false)) {
            Lease lease = leaseIfOpen(number);
            if (lease != null) {
                try (lease) {
                    lease.segment().resumeCompactions();
                }
            }
        }
    }

    /** Sets the flag segments opened from now on follow; returns the segments open before. */
    private List<Long> setCompactionsSuspended(boolean suspended) {
        synchronized (lock) {
            compactionsSuspended = suspended;
            return List.copyOf(open.keySet());
        }
    }

    boolean isOpen(long number) {
        return open.containsKey(number);
    }

    /** Segments open now. */
    int openCount() {
        return open.size();
    }

    /** The most segments ever open at once. */
    int mostOpen() {
        synchronized (lock) {
            return mostOpen;
        }
    }

    /** How many times a segment closed to make room for another. */
    long closedForRoom() {
        synchronized (lock) {
            return closedForRoom;
        }
    }

    /**
     * Closes every open segment, without syncing (a checkpoint is what makes writes durable).
     * Uses still under way fail or read a closed LevelDB, as they did before segments were
     * leased: the node stops serving before it closes its store.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = null;
            for (Entry entry : open.values()) {
                try {
                    entry.segment.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            open.clear();
            lock.notifyAll();
            if (failure != null) {
                throw failure;
            }
        }
    }

    private Lease leased(Entry entry) {
        entry.lastUse = uses.incrementAndGet();
        return new Lease(entry);
    }

    private void release(Entry entry) {
        int left = entry.leases.decrementAndGet();
        assert left >= 0 : "segment " + entry.segment.number + " released more often than leased";
        if (left == 0 && mayWait.get() > 0) {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** Waits, releasing {@link #lock}, until a lease is released or a segment closes or goes. */
    private void awaitChange() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an open segment", e);
        }
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("store at " + dir + " is closed");
        }
    }

    private File dirOf(long number) {
        return dir.resolve("segment-" + number).toFile();
    }

    private static void deleteRecursively(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteRecursively(child);
            }
        }
        if (!file.delete() && file.exists()) {
            throw new UncheckedIOException(new java.io.IOException("cannot delete " + file));
        }
    }

    private static final class Entry {
        final Segment segment;
        /** Leases held, or {@link #RETIRED} once the segment is closing: no lease after that. */
        final AtomicInteger leases = new AtomicInteger();
        volatile long lastUse;

        Entry(Segment segment) {
            this.segment = segment;
        }

        boolean tryLease() {
            while (true) {
                int held = leases.get();
                if (held == RETIRED) {
                    return false;
                }
                if (leases.compareAndSet(held, held + 1)) {
                    return true;
                }
            }
        }

        boolean tryRetire() {
            return leases.compareAndSet(0, RETIRED);
        }
    }
}
