package org.sediment.ssd.paxos.sim;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.sediment.ssd.paxos.AcceptorRecord;
import org.sediment.ssd.paxos.AppliedState;
import org.sediment.ssd.paxos.InMemoryAppliedState;
import org.sediment.ssd.paxos.RecoveredState;
import org.sediment.ssd.paxos.StorageWrite;
import org.sediment.ssd.paxos.VotingFence;

/**
 * One replica's simulated disk. Writes queue in order and become durable one group at a time;
 * only durable writes change the state a restart sees, so a crash loses exactly the writes not
 * yet reported durable. A lost disk comes back empty (and unformatted: learner-only).
 */
final class SimDisk {
    private boolean voting = true;
    private VotingFence fence = VotingFence.NONE;
    private long ballotCounterReservedUpTo;
    private final Map<Long, Map<Long, AcceptorRecord>> records = new HashMap<>();
    private AppliedState applied = new InMemoryAppliedState();
    private final ArrayDeque<StorageWrite> pending = new ArrayDeque<>();
    /** Test-only planted bug: acceptor records are not reloaded after a restart. */
    boolean bugForgetPromisesOnRestart;

    void enqueue(StorageWrite w) {
        pending.addLast(w);
    }

    /** Makes every pending write up to {@code seq} durable; returns false if none was pending. */
    boolean makeDurable(long seq) {
        boolean any = false;
        while (!pending.isEmpty() && pending.peekFirst().seq() <= seq) {
            applyDurable(pending.pollFirst());
            any = true;
        }
        return any;
    }

    private void applyDurable(StorageWrite w) {
        switch (w) {
            case StorageWrite.PersistAcceptor p -> {
                if (p.entry() > applied.version(p.timeline())) {
                    records.computeIfAbsent(p.timeline(), k -> new HashMap<>()).put(p.entry(), p.record());
                }
            }
            case StorageWrite.PersistBallotCounter c ->
                    ballotCounterReservedUpTo = Math.max(ballotCounterReservedUpTo, c.reservedUpTo());
            case StorageWrite.ApplyChosen a -> {
                if (a.entry() == applied.version(a.timeline()) + 1) {
                    applied.apply(a.timeline(), a.entry(), a.value());
                    trim(a.timeline(), a.entry());
                }
            }
            case StorageWrite.InstallSnapshot s -> {
                if (s.snapshot().version() > applied.version(s.snapshot().timeline())) {
                    applied.install(s.snapshot());
                    trim(s.snapshot().timeline(), s.snapshot().version());
                }
            }
            case StorageWrite.PersistVoting v -> {
                voting = true;
                fence = v.fence();
            }
        }
    }

    private void trim(long timeline, long upTo) {
        Map<Long, AcceptorRecord> r = records.get(timeline);
        if (r != null) {
            r.keySet().removeIf(e -> e <= upTo);
        }
    }

    /** Crash: writes not yet durable are gone. */
    void crash() {
        pending.clear();
    }

    /** Disk replaced: nothing survives, and the replica must not vote until it has relearned. */
    void wipe() {
        pending.clear();
        voting = false;
        fence = VotingFence.NONE;
        ballotCounterReservedUpTo = 0;
        records.clear();
        applied = new InMemoryAppliedState();
    }

    RecoveredState recover() {
        Map<Long, Map<Long, AcceptorRecord>> copy = new HashMap<>();
        if (!bugForgetPromisesOnRestart) {
            records.forEach((t, r) -> copy.put(t, new HashMap<>(r)));
        }
        return new RecoveredState(voting, fence, ballotCounterReservedUpTo, copy, applied.copy());
    }
}
