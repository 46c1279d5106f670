package org.sediment.ssd.node;

import java.nio.file.Path;
import java.util.List;
import org.sediment.ssd.log.GroupCommitLog;
import org.sediment.ssd.storage.SegmentedStore;

/**
 * A node's checkpoint: captures, on the core thread, the last logged position and the durable
 * state; waits until that position is durable; syncs the store; writes the durable state file;
 * deletes the log before the position. After it, recovery ({@link NodeRecovery}) starts there.
 */
final class Checkpointer {
    private final Path dataDir;
    private final ReplicaDriver driver;
    private final LsmAppliedState applied;
    private final GroupCommitLog log;
    private final SegmentedStore store;

    Checkpointer(Path dataDir, ReplicaDriver driver, LsmAppliedState applied, GroupCommitLog log, SegmentedStore store) {
        this.dataDir = dataDir;
        this.driver = driver;
        this.applied = applied;
        this.log = log;
        this.store = store;
    }

    /** Safe at any time, from any thread but the core's. */
    void run() throws InterruptedException {
        if (driver.failure() != null) {
            return;
        }
        record Capture(long logSeq, List<LogRecord> records) {
        }
        // Rows the core applied but has not flushed yet must reach the store before it is synced:
        // the log before the captured position is deleted once the store holds them.
        Capture capture = driver.onCoreThread(() -> {
            applied.flush();
            return new Capture(driver.lastLogSeq(), driver.durableState().asRecords());
        }).join();
        log.awaitDurable(capture.logSeq());
        store.checkpoint();
        DurableStateFile.write(dataDir, capture.logSeq(), capture.records());
        log.trimBelow(capture.logSeq() + 1);
    }
}
