package org.sediment.ssd.paxos.sim;

import java.util.ArrayList;
import java.util.List;
import org.sediment.common.time.RandomSource;
import org.sediment.ssd.node.DurableState;
import org.sediment.ssd.node.LogRecord;
import org.sediment.ssd.node.NodeRecovery;
import org.sediment.ssd.node.wire.LogRecordCodec;
import org.sediment.ssd.paxos.InMemoryAppliedState;
import org.sediment.ssd.paxos.RecoveredState;
import org.sediment.ssd.paxos.StorageWrite;
import org.sediment.ssd.paxos.VotingFence;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * One replica's simulated disk, laid out as the node's: a log of encoded records (the node's
 * {@link LogRecordCodec}), a checkpoint (the durable state's records and the log position they
 * cover), and a store of rows and timeline states. A restart recovers through the node's own
 * {@link NodeRecovery}.
 *
 * <p>What a crash keeps is what a disk keeps: every log record up to the last sync, and of the
 * records written after it, a prefix of random length (the kernel may have written some back;
 * the first torn record ends the log, as the log's CRC check ends it). The store keeps what its
 * last checkpoint synced, plus the rows (not the states) of a random prefix of the updates applied
 * since. A lost disk comes back empty and unformatted: learner-only.
 */
final class SimDisk {
    private final RandomSource random;
    /** Log records after the checkpoint, oldest first; {@code logSeq} numbers them across restarts. */
    private final List<byte[]> log = new ArrayList<>();
    private long logFirstSeq = 1;
    private long syncedLogSeq;
    private long checkpointSeq;
    private List<byte[]> checkpoint = encode(formatted(true));
    /** The live store, what its last checkpoint synced, and the updates applied to it since. */
    private InMemoryAppliedState store = new InMemoryAppliedState();
    private InMemoryAppliedState syncedStore = new InMemoryAppliedState();
    private final List<TimelineUpdate> storeUnsynced = new ArrayList<>();
    /** The core's durable state as the logged records leave it: what a checkpoint captures. */
    private DurableState live = DurableState.of(formatted(true));
    /** A checkpoint in progress: the log position and state it captured. */
    private long pendingCheckpointSeq = -1;
    private List<LogRecord> pendingCheckpoint;
    /** Test-only planted bugs. */
    boolean bugForgetPromisesOnRestart;
    boolean bugSkipReplay;
    int recoveries;
    long recordsLostInCrashes;

    SimDisk(RandomSource random) {
        this.random = random;
    }

    /** The log position of the next record: a core's write {@code n} is record {@code base + n}. */
    long logEnd() {
        return logFirstSeq + log.size() - 1;
    }

    long syncedLogSeq() {
        return syncedLogSeq;
    }

    /** Logs a core write, as the node's driver does; returns its log position. */
    long write(StorageWrite w) {
        LogRecord record = LogRecord.of(w);
        live.absorb(record);
        log.add(LogRecordCodec.encode(record));
        if (record instanceof LogRecord.Applied a) {
            storeUnsynced.add(a.update()); // the replica wrote it to the store, which syncs only at checkpoints
        }
        return logEnd();
    }

    /** The store the running replica applies to (rows reach it before their log record is synced). */
    InMemoryAppliedState store() {
        return store;
    }

    /** An fsync of the log up to {@code logSeq}; returns whether it made anything newly durable. */
    boolean sync(long logSeq) {
        if (logSeq <= syncedLogSeq) {
            return false;
        }
        syncedLogSeq = Math.min(logSeq, logEnd());
        if (pendingCheckpointSeq >= 0 && syncedLogSeq >= pendingCheckpointSeq) {
            finishCheckpoint();
        }
        return true;
    }

    /** Starts a checkpoint as the node does: captures the position and state, finishes once that is synced. */
    void checkpoint() {
        if (pendingCheckpointSeq >= 0) {
            return;
        }
        pendingCheckpointSeq = logEnd();
        pendingCheckpoint = live.asRecords();
        if (syncedLogSeq >= pendingCheckpointSeq) {
            finishCheckpoint();
        }
    }

    private void finishCheckpoint() {
        syncedStore = store.copy(); // the store's sync: everything applied so far
        storeUnsynced.clear();
        checkpoint = encode(pendingCheckpoint);
        checkpointSeq = pendingCheckpointSeq;
        // The log before the covered position is deleted.
        int drop = (int) Math.min(log.size(), checkpointSeq - logFirstSeq + 1);
        log.subList(0, drop).clear();
        logFirstSeq += drop;
        pendingCheckpointSeq = -1;
        pendingCheckpoint = null;
    }

    /** The process dies: unsynced log records and store writes survive only as far as the disk got. */
    void crash() {
        long unsynced = logEnd() - syncedLogSeq;
        long kept = unsynced == 0 ? 0 : random.nextInt((int) unsynced + 1);
        int keep = (int) (syncedLogSeq + kept - logFirstSeq + 1);
        recordsLostInCrashes += log.size() - keep;
        log.subList(keep, log.size()).clear();
        syncedLogSeq = logEnd();
        InMemoryAppliedState survived = syncedStore.copy();
        int rowsKept = storeUnsynced.isEmpty() ? 0 : random.nextInt(storeUnsynced.size() + 1);
        for (int i = 0; i < rowsKept; i++) {
            survived.writeRows(storeUnsynced.get(i));
        }
        store = survived;
        syncedStore = survived.copy();
        storeUnsynced.clear();
        pendingCheckpointSeq = -1;
        pendingCheckpoint = null;
    }

    /** Disk replaced: nothing survives, and the replica must not vote until it has relearned. */
    void wipe() {
        log.clear();
        logFirstSeq = 1;
        syncedLogSeq = 0;
        checkpointSeq = 0;
        checkpoint = encode(formatted(false));
        store = new InMemoryAppliedState();
        syncedStore = new InMemoryAppliedState();
        storeUnsynced.clear();
        pendingCheckpointSeq = -1;
        pendingCheckpoint = null;
    }

    /** The node's recovery over what the disk holds; the live state restarts from what it recovers. */
    RecoveredState recover() {
        recoveries++;
        List<LogRecord> records = new ArrayList<>();
        for (byte[] bytes : checkpoint) {
            records.add(LogRecordCodec.decode(bytes));
        }
        InMemoryAppliedState rows = store;
        NodeRecovery recovery = new NodeRecovery(records, checkpointSeq, new NodeRecovery.Store() {
            @Override
            public long appliedIndex(long timeline) {
                return rows.version(timeline);
            }

            @Override
            public void apply(TimelineUpdate update) {
                rows.write(update);
                storeUnsynced.add(update); // rewritten, not synced: a second crash may lose it again
            }
        });
        storeUnsynced.clear();
        live = DurableState.of(records);
        for (int i = 0; i < log.size(); i++) {
            LogRecord record = LogRecordCodec.decode(log.get(i));
            live.absorb(record);
            if (!bugSkipReplay) {
                recovery.replay(logFirstSeq + i, log.get(i));
            }
        }
        RecoveredState recovered = recovery.recovered(store);
        if (bugForgetPromisesOnRestart) {
            recovered = new RecoveredState(recovered.voting(), recovered.fence(), recovered.ballotCounterReservedUpTo(),
                    new java.util.HashMap<>(), store);
        }
        return recovered;
    }

    private static List<LogRecord> formatted(boolean voting) {
        return voting ? List.of(new LogRecord.BallotCounter(0), new LogRecord.Voting(VotingFence.NONE))
                : List.of(new LogRecord.BallotCounter(0));
    }

    private static List<byte[]> encode(List<LogRecord> records) {
        List<byte[]> encoded = new ArrayList<>(records.size());
        records.forEach(r -> encoded.add(LogRecordCodec.encode(r)));
        return encoded;
    }
}
