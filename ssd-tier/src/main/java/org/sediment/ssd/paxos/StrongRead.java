package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Linearizable reads without a leader or lease. A read is served from local state only after a
 * probe, sent after the read arrived, found a majority (this replica included) that knows no
 * entry after the committed index this replica had when the probe started. Any write that
 * completed before the read started was accepted by a majority, which intersects the probe's
 * majority, so such a write would have shown up. A replica that sees a later entry first
 * catches up (if it was chosen) or finishes it (if it is only accepted), then probes again.
 */
final class StrongRead {

    private final long timeline;
    private final PaxosReplica replica;
    /** Reads that arrived while a probe was out: they need a probe sent after their arrival. */
    private List<Long> waiting = new ArrayList<>();
    private List<Long> probing = new ArrayList<>();
    private long probeId;
    private long probeBase;
    private long probeStartedTick;
    private boolean probeOut;
    private boolean sawLaterEntry;
    private int attempts;
    private final Set<Integer> clean = new HashSet<>();

    StrongRead(long timeline, PaxosReplica replica) {
        this.timeline = timeline;
        this.replica = replica;
    }

    void submit(long requestId) {
        waiting.add(requestId);
        if (!probeOut) {
            attempts = 0;
            startProbe();
        }
    }

    private void startProbe() {
        probing.addAll(waiting);
        waiting = new ArrayList<>();
        probeOut = true;
        attempts++;
        probeId = replica.nextProbeId();
        probeBase = replica.committed(timeline);
        probeStartedTick = replica.currentTick();
        sawLaterEntry = false;
        clean.clear();
        if (replica.maxKnownEntry(timeline) <= probeBase) {
            clean.add(replica.nodeIndex());
        } else {
            // A local pending entry means this replica may be behind: resolve it first.
            sawLaterEntry = true;
            replica.proposer(timeline).requestFinish(replica.committed(timeline) + 1);
        }
        long id = probeId;
        replica.broadcast(to -> new PaxosMessage.ReadProbe(timeline, replica.nodeIndex(), to,
                replica.committed(timeline), id), false);
        maybeServe();
    }

    void onProbeReply(PaxosMessage.ReadProbeReply r) {
        if (!probeOut || r.probeId() != probeId) {
            return;
        }
        if (r.voting() && r.maxKnownEntry() <= probeBase) {
            clean.add(r.from());
        } else if (r.maxKnownEntry() > probeBase) {
            sawLaterEntry = true;
            if (r.senderCommitted() <= replica.committed(timeline)) {
                // Only accepted somewhere, not known chosen: finish it ourselves.
                replica.proposer(timeline).requestFinish(replica.committed(timeline) + 1);
            }
        }
        maybeServe();
    }

    private void maybeServe() {
        if (clean.size() < replica.readQuorum()) {
            return;
        }
        // Local state is at or past probeBase, and nothing after probeBase existed when the
        // majority answered: serving it now is linearizable.
        OpOutcome.ReadDone state = replica.readLocal(timeline);
        for (long requestId : probing) {
            replica.reply(requestId, timeline, state);
        }
        probing = new ArrayList<>();
        probeOut = false;
        if (!waiting.isEmpty()) {
            attempts = 0;
            startProbe();
        }
    }

    /** Progress was made: a probe that saw a later entry may now succeed if restarted. */
    void onApplied() {
        if (probeOut && sawLaterEntry && replica.committed(timeline) > probeBase) {
            retryOrFail();
        }
    }

    /** No read waiting or probing: ticks have nothing to do here. */
    boolean idle() {
        return !probeOut && waiting.isEmpty() && probing.isEmpty();
    }

    void onTick() {
        if (probeOut && replica.currentTick() - probeStartedTick >= replica.config().readProbeTimeoutTicks()) {
            retryOrFail();
        }
    }

    private void retryOrFail() {
        if (attempts >= replica.config().maxReadAttempts()) {
            OpOutcome failure = new OpOutcome.ReadUnavailable(attempts,
                    sawLaterEntry ? "the timeline kept moving past this replica" : "no majority answered");
            for (long requestId : probing) {
                replica.reply(requestId, timeline, failure);
            }
            probing = new ArrayList<>();
            probeOut = false;
            if (!waiting.isEmpty()) {
                attempts = 0;
                startProbe();
            }
            return;
        }
        startProbe();
    }

    void failAll(OpOutcome outcome) {
        for (long id : probing) {
            replica.reply(id, timeline, outcome);
        }
        for (long id : waiting) {
            replica.reply(id, timeline, outcome);
        }
        probing = new ArrayList<>();
        waiting = new ArrayList<>();
        probeOut = false;
    }
}
