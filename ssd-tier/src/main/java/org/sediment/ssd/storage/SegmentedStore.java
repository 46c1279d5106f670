package org.sediment.ssd.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;
import org.sediment.common.key.ItemKey;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TimelineState;
import org.sediment.ssd.timeline.TimelineUpdate;
import org.sediment.common.time.Clock;

/**
 * The SSD tier's item store: items split by time segment, one LevelDB per segment, plus a
 * {@code meta} LevelDB for per-timeline state. See {@code STORAGE.md} for the durability
 * argument; in short, the Paxos log is the durability point, applies are written without
 * fsync, and {@link #checkpoint()} makes them durable and records how far they reach, which is
 * where a restarted node resumes replaying its log.
 *
 * <p>At most {@link SegmentPolicy#maxOpenSegments()} segments are open at once; every read and
 * write holds a lease on the segment it uses, so none closes under it ({@link OpenSegments}).
 *
 * <p>Thread-safe: reads from any thread; {@link #apply} from one thread at a time; LevelDB is
 * thread-safe, and segments open and close under {@link OpenSegments}' lock.
 */
public final class SegmentedStore implements AutoCloseable {
    private static final Pattern SEGMENT_DIR = Pattern.compile("segment-(-?\\d+)");
    private static final byte STATE_PREFIX = 's';
    private static final int SCAN_PAGE = 1024;
    /** Timeline states kept in memory: about 30 MiB at most. */
    static final int RECENT_STATES_MAX = 1 << 18;

    static final String SEGMENT_LENGTH_FILE = "segment-millis";
    /** Key and value bytes {@link #page} returned: see {@link #pageBytesRead}. */
    private final LongAdder bytesRead = new LongAdder();
    /** Counts {@link #apply} starts and ends: odd while one runs ({@link #consistentRead}). */
    private final AtomicLong applying = new AtomicLong();
    private final SegmentPolicy policy;
    private final Segment meta;
    /** The item segments: which exist, which are open, which were written since their last sync. */
    private final OpenSegments segments;
    /** Timeline states applied and not yet checkpointed. */
    private final Map<Long, TimelineState> appliedSinceCheckpoint = new ConcurrentHashMap<>();
    /**
     * The current state of timelines applied since open, so the apply path and reads do not walk
     * {@code meta} for a timeline they just wrote. Only {@link #apply} adds to it (one writer
     * thread), so an entry is never stale; dropping entries is always safe.
     */
    private final Map<Long, TimelineState> recentStates = new ConcurrentHashMap<>();
    private final int recentStatesMax;
    private final Object checkpointLock = new Object();

    private SegmentedStore(SegmentPolicy policy, OpenSegments segments, Segment meta, int recentStatesMax) {
        this.recentStatesMax = recentStatesMax;
        this.policy = policy;
        this.segments = segments;
        this.meta = meta;
    }

    /**
     * Opens the store and its newest segments, as many as may be open (indexes eagerly), tuned hot
     * or cold by their age now; older segments open when they are used.
     */
    public static SegmentedStore open(Path dir, SegmentPolicy policy, Clock clock) {
        return open(dir, policy, clock, RECENT_STATES_MAX);
    }

    /**
     * An item's segment is found from its time and the segment length, so a store must be opened
     * with the length it was written with: with another, reads would look in the wrong segments
     * and items would seem lost. The length is recorded at the first open and checked after.
     */
    private static void checkSegmentLength(Path dir, SegmentPolicy policy) throws IOException {
        Path file = dir.resolve(SEGMENT_LENGTH_FILE);
        if (!Files.exists(file)) {
            Files.writeString(file, Long.toString(policy.segmentMillis()));
            return;
        }
        long recorded = Long.parseLong(Files.readString(file).trim());
        if (recorded != policy.segmentMillis()) {
            throw new IllegalStateException("store " + dir + " was written with segments of " + recorded
                    + " ms; the policy asks for " + policy.segmentMillis() + " ms (segment length cannot change)");
        }
    }

    static SegmentedStore open(Path dir, SegmentPolicy policy, Clock clock, int recentStatesMax) {
        try {
            Files.createDirectories(dir);
            checkSegmentLength(dir, policy);
            OpenSegments segments = new OpenSegments(dir, policy, clock);
            try (var children = Files.list(dir)) {
                for (Path child : children.toList()) {
                    Matcher m = SEGMENT_DIR.matcher(child.getFileName().toString());
                    if (m.matches()) {
                        segments.found(Long.parseLong(m.group(1)));
                    }
                }
            }
            Segment meta = Segment.openMeta(dir.resolve("meta").toFile(), policy);
            try {
                segments.openNewest();
            } catch (RuntimeException e) {
                segments.close();
                meta.close();
                throw e;
            }
            return new SegmentedStore(policy, segments, meta, recentStatesMax);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open store at " + dir, e);
        }
    }

    /**
     * Applies chosen entries: each segment's share of the row changes is one atomic batch, so a
     * crash leaves every segment at a prefix of its batches. Not durable until {@link #checkpoint()}.
     * One thread at a time: the node's core thread (or its recovery before the core starts).
     */
    public void apply(List<TimelineUpdate> updates) {
        applying.incrementAndGet(); // odd while rows and states change: see consistentRead
        try {
            applyRowsThenStates(updates);
        } finally {
            applying.incrementAndGet();
        }
    }

    /**
     * Runs {@code read} (of states and rows, from any thread) until no {@link #apply} overlapped
     * it, so what it read belongs to one moment: an apply writes its rows before it publishes
     * the states they belong to, and a read between the two would see a row gone (say, sunk)
     * under a state that does not say so yet. The apply thread itself needs no such care.
     */
    public <T> T consistentRead(Supplier<T> read) {
        while (true) {
            long before = applying.get();
            if ((before & 1) == 0) {
                T result = read.get();
                if (applying.get() == before) {
                    return result;
                }
            }
            LockSupport.parkNanos(20_000); // an apply takes up to a few ms: do not spin through it
        }
    }

    private void applyRowsThenStates(List<TimelineUpdate> updates) {
        try (ApplyBatches batches = new ApplyBatches(segments)) {
            for (TimelineUpdate update : updates) {
                for (RowChange change : update.changes()) {
                    switch (change) {
                        case RowChange.Put put -> batches.put(policy.segmentOf(put.key().ts()), put.key(), put.value());
                        // No segment, nothing there: none is created for a delete.
                        case RowChange.Delete delete -> batches.delete(policy.segmentOf(delete.key().ts()), delete.key());
                        case RowChange.DeleteOlderThan range -> {
                            // The range covers what is stored at this point, earlier changes of this call too.
                            batches.writeAll();
                            for (ItemKey key : keysOlderThan(range.owner(), range.beforeTs())) {
                                batches.delete(policy.segmentOf(key.ts()), key);
                            }
                        }
                    }
                }
            }
            batches.writeAll();
        }
        for (TimelineUpdate update : updates) {
            // Only states that move forward count: replay may re-apply an update the store has.
            TimelineState current = state(update.timeline());
            if (update.version() > current.version()) {
                TimelineState after = current.after(update);
                appliedSinceCheckpoint.put(update.timeline(), after);
                remember(update.timeline(), after);
            }
        }
    }

    private List<ItemKey> keysOlderThan(long owner, long beforeTs) {
        List<ItemKey> keys = new ArrayList<>();
        // (beforeTs, seq 0) sorts last among its ts: everything after it is older.
        ItemKey after = beforeTs > ItemKey.MAX_TS ? null : new ItemKey(owner, beforeTs, 0);
        scan(owner, after, stored -> keys.add(stored.key()));
        return keys;
    }

    private void remember(long timeline, TimelineState state) {
        if (recentStates.size() >= recentStatesMax) {
            // Forget an arbitrary eighth: cheap, amortised, and any entry may go.
            int drop = Math.max(1, recentStatesMax / 8);
            var it = recentStates.keySet().iterator();
            while (drop-- > 0 && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
        recentStates.put(timeline, state);
    }

    /**
     * Makes every applied change durable (one fsync per segment), then records each timeline's
     * state durably in {@code meta}. After it returns, the Paxos log may be trimmed up to the
     * recorded versions.
     *
     * @return the timeline states this checkpoint recorded
     */
    public Map<Long, TimelineState> checkpoint() {
        synchronized (checkpointLock) {
            Map<Long, TimelineState> recorded = new HashMap<>(appliedSinceCheckpoint);
            if (recorded.isEmpty()) {
                return recorded;
            }
            // Every change behind a recorded index marked its segment dirty before it was recorded;
            // a dirty segment that closed since was synced as it closed.
            segments.syncDirty();
            WriteBatch batch = meta.newBatch();
            try {
                for (Map.Entry<Long, TimelineState> e : recorded.entrySet()) {
                    batch.put(stateKey(e.getKey()), e.getValue().encode());
                }
                meta.write(batch);
                meta.sync();
            } finally {
                closeQuietly(batch);
            }
            recorded.forEach((timeline, state) -> appliedSinceCheckpoint.remove(timeline, state));
            return recorded;
        }
    }

    /** The timeline's state: as last applied, else as checkpointed. */
    public TimelineState state(long timeline) {
        TimelineState known = knownState(timeline);
        return known != null ? known : checkpointedState(timeline);
    }

    /**
     * The timeline's state if the store holds it in memory (applied since open and not yet
     * forgotten, or not yet checkpointed), else null: then it is in {@link #checkpointedState}.
     */
    public TimelineState knownState(long timeline) {
        // The recent cache first: it is written after the uncheckpointed map, so whichever
        // answers, the answer is current (a checkpoint removes from that map only after meta has it).
        TimelineState recent = recentStates.get(timeline);
        return recent != null ? recent : appliedSinceCheckpoint.get(timeline);
    }

    /** The timeline's applied index (its version); 0 if nothing was applied. */
    public long appliedIndex(long timeline) {
        return state(timeline).version();
    }

    /** The state the last checkpoint recorded: where a restarted node resumes its log. */
    public TimelineState checkpointedState(long timeline) {
        byte[] value = meta.get(stateKey(timeline));
        return value == null ? TimelineState.EMPTY : TimelineState.decode(value);
    }

    public long checkpointedIndex(long timeline) {
        return checkpointedState(timeline).version();
    }

    /** Every timeline with applied state, checkpointed or not. */
    public Set<Long> timelines() {
        Set<Long> all = new HashSet<>(appliedSinceCheckpoint.keySet());
        try (DBIterator it = meta.iterator()) {
            it.seek(new byte[] {STATE_PREFIX});
            while (it.hasNext()) {
                byte[] key = it.next().getKey();
                if (key.length != 9 || key[0] != STATE_PREFIX) {
                    break;
                }
                all.add(ByteBuffer.wrap(key, 1, 8).getLong());
            }
        }
        return all;
    }

    public byte[] get(ItemKey key) {
        OpenSegments.Lease lease = segments.lease(policy.segmentOf(key.ts()));
        if (lease == null) {
            return null;
        }
        try (lease) {
            Segment segment = lease.segment();
            byte[] stored = segment.get(key.encode());
            return stored == null ? null : segment.value(stored);
        }
    }

    /**
     * Key and value bytes that {@link #page} has returned since the store opened: what reads cost
     * the storage engine (a memory-tier hit must cost it nothing).
     */
    public long pageBytesRead() {
        return bytesRead.sum();
    }

    /**
     * Up to {@code limit} items of {@code owner}'s timeline, newest first, strictly older than
     * {@code after} (or from the newest item when {@code after} is null). Walks segments newest
     * first and stops as soon as the page is full.
     */
    public List<StoredItem> page(long owner, ItemKey after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("page limit must be ≥ 1, got " + limit);
        }
        if (after != null && after.owner() != owner) {
            throw new IllegalArgumentException("cursor " + after + " is not in timeline " + Long.toUnsignedString(owner));
        }
        List<StoredItem> items = new ArrayList<>(Math.min(limit, 256));
        byte[] prefix = ItemKey.ownerPrefix(owner);
        byte[] start = after == null ? ItemKey.timelineStart(owner) : after.encode();
        Iterable<Long> candidates = after == null ? segments.numbers() : segments.fromNewestAt(policy.segmentOf(after.ts()));
        for (long number : candidates) {
            OpenSegments.Lease lease = segments.lease(number);
            if (lease == null) {
                continue; // dropped since the listing
            }
            try (lease; DBIterator it = lease.segment().iterator()) {
                it.seek(start);
                while (it.hasNext() && items.size() < limit) {
                    Map.Entry<byte[], byte[]> entry = it.next();
                    byte[] key = entry.getKey();
                    if (key.length != ItemKey.ENCODED_BYTES || Arrays.mismatch(key, 0, 8, prefix, 0, 8) != -1) {
                        break; // past this owner's items in this segment
                    }
                    if (after != null && Arrays.equals(key, start)) {
                        continue; // the cursor item itself was on the previous page
                    }
                    StoredItem item = new StoredItem(ItemKey.decode(key), lease.segment().value(entry.getValue()));
                    bytesRead.add(key.length + item.value().length);
                    items.add(item);
                }
            }
            if (items.size() == limit) {
                break;
            }
        }
        return items;
    }

    /** Visits every item of {@code owner}'s timeline older than {@code after} (all if null), newest first. */
    public void scan(long owner, ItemKey after, java.util.function.Consumer<StoredItem> visitor) {
        List<StoredItem> page;
        do {
            page = page(owner, after, SCAN_PAGE);
            for (StoredItem item : page) {
                visitor.accept(item);
                after = item.key();
            }
        } while (page.size() == SCAN_PAGE);
    }

    /**
     * Pauses background compaction in every segment, e.g. during a traffic peak; segments opened
     * meanwhile start paused.
     */
    public void suspendCompactions() throws InterruptedException {
        segments.suspendCompactions();
    }

    public void resumeCompactions() {
        segments.resumeCompactions();
    }

    /** Compacts one segment fully, when the node decides (e.g. after it stops taking writes). */
    public void compactSegment(long number) {
        OpenSegments.Lease lease = segments.lease(number);
        if (lease != null) {
            try (lease) {
                lease.segment().compactAll();
            }
        }
    }

    /** Segment numbers present, newest first, open or not. */
    public List<Long> segmentNumbers() {
        return List.copyOf(segments.numbers());
    }

    /** Item segments open now: at most {@link SegmentPolicy#maxOpenSegments()}. */
    public int openSegmentCount() {
        return segments.openCount();
    }

    boolean isSegmentOpen(long number) {
        return segments.isOpen(number);
    }

    /** The most item segments open at once since the store opened. */
    int mostOpenSegments() {
        return segments.mostOpen();
    }

    /** How many times a segment closed to make room for another. */
    long segmentsClosedForRoom() {
        return segments.closedForRoom();
    }

    public boolean isHot(long segmentNumber) {
        return segments.isHot(segmentNumber);
    }

    /** Drops a whole segment, e.g. once every block in it has sunk to the HDD tier. */
    public void dropSegment(long number) {
        segments.drop(number);
    }

    @Override
    public void close() {
        try {
            segments.close();
        } finally {
            meta.close();
        }
    }

    private static byte[] stateKey(long timeline) {
        return ByteBuffer.allocate(9).put(STATE_PREFIX).putLong(timeline).array();
    }

    private static void closeQuietly(WriteBatch batch) {
        try {
            batch.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
