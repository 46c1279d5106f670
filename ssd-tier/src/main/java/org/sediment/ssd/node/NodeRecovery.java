package org.sediment.ssd.node;

import java.util.List;
import org.sediment.ssd.node.wire.LogRecordCodec;
import org.sediment.ssd.paxos.AppliedState;
import org.sediment.ssd.paxos.RecoveredState;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * How a replica rebuilds itself at start: the durable state its last checkpoint recorded, then
 * every log record after that checkpoint folded in, in order; an {@code Applied} record the
 * store does not have yet is applied again (the store's rows are only synced at checkpoints, so
 * it may be behind the log, and an update names exact keys, so applying it again is harmless).
 *
 * <p>The node runs it over its files, and the simulator over a simulated disk that loses what
 * was not synced, so the simulation covers recovery too. Not thread-safe; used once, at start.
 */
public final class NodeRecovery {

    /** The rows a replica recovers into. */
    public interface Store {
        /** The version the store holds for {@code timeline}: 0 if none. */
        long appliedIndex(long timeline);

        void apply(TimelineUpdate update);
    }

    private final DurableState state;
    private final long coveredLogSeq;
    private final Store store;

    /** Starts from a checkpoint: its records and the last log record it covers. */
    public NodeRecovery(List<LogRecord> checkpoint, long coveredLogSeq, Store store) {
        this(DurableState.of(checkpoint), coveredLogSeq, store);
    }

    NodeRecovery(DurableState checkpoint, long coveredLogSeq, Store store) {
        this.state = checkpoint;
        this.coveredLogSeq = coveredLogSeq;
        this.store = store;
    }

    /** One log record read at start, in log order. */
    public void replay(long logSeq, byte[] payload) {
        if (logSeq <= coveredLogSeq) {
            return;
        }
        LogRecord record = LogRecordCodec.decode(payload);
        state.absorb(record);
        if (record instanceof LogRecord.Applied a && a.update().version() > store.appliedIndex(a.update().timeline())) {
            store.apply(a.update());
        }
    }

    /** What the core starts from, once every record was replayed. */
    public RecoveredState recovered(AppliedState applied) {
        return new RecoveredState(state.voting, state.fence, state.ballotReservedUpTo, state.acceptorRecords(), applied);
    }

    DurableState state() {
        return state;
    }
}
