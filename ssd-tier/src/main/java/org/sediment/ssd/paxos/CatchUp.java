package org.sediment.ssd.paxos;

import java.util.List;

/**
 * Catch-up between replicas: a replica that hears of a peer ahead of it (every message carries
 * the sender's committed entry) asks for the entries after its own, at most once per retry
 * interval; the peer answers from its log tail, or with a snapshot in parts once the entries were
 * trimmed ({@link SnapshotParts}). What arrives goes through the replica's learner.
 */
final class CatchUp {
    private final PaxosReplica replica;
    private final SnapshotParts snapshotParts = new SnapshotParts();

    CatchUp(PaxosReplica replica) {
        this.replica = replica;
    }

    void noticePeerCommitted(long timeline, int peer, long peerCommitted) {
        if (peerCommitted > replica.committed(timeline)) {
            request(timeline, peer);
        }
    }

    /** Asks {@code peer} for the entries after our committed one, at most once per retry interval. */
    void request(long timeline, int peer) {
        TimelineLog log = replica.log(timeline);
        if (replica.currentTick() < log.catchUpRetryAtTick) {
            return;
        }
        log.catchUpRetryAtTick = replica.currentTick() + replica.config().catchUpRetryTicks();
        long committed = replica.committed(timeline);
        replica.send(new PaxosMessage.CatchUpRequest(timeline, replica.nodeIndex(), peer, committed, committed + 1,
                replica.config().catchUpBatchEntries()));
    }

    void serve(PaxosMessage.CatchUpRequest c) {
        long t = c.timeline();
        long committed = replica.committed(t);
        if (c.fromEntry() > committed) {
            return;
        }
        PaxosConfig config = replica.config();
        List<PaxosMessage.ChosenEntry> entries =
                replica.log(t).tailFrom(c.fromEntry(), Math.min(c.maxEntries(), config.catchUpBatchEntries()));
        if (entries != null) {
            replica.send(new PaxosMessage.CatchUpReply(t, replica.nodeIndex(), c.from(), committed, entries));
        } else {
            List<TimelineSnapshot> parts = SnapshotParts.split(replica.appliedState().snapshot(t),
                    config.snapshotPartBytes());
            for (int i = 0; i < parts.size(); i++) {
                replica.send(new PaxosMessage.SnapshotReply(t, replica.nodeIndex(), c.from(), committed, parts.get(i), i,
                        parts.size()));
            }
        }
    }

    void onEntries(PaxosMessage.CatchUpReply c) {
        snapshotParts.forget(c.timeline()); // caught up by entries: a half-received snapshot is moot
        c.entries().forEach(e -> replica.learn(c.timeline(), e.entry(), e.value()));
        replica.log(c.timeline()).catchUpRetryAtTick = 0; // still behind? ask for the next batch now
    }

    void onSnapshotPart(PaxosMessage.SnapshotReply s) {
        TimelineSnapshot whole = snapshotParts.offer(s);
        if (whole != null) {
            replica.install(whole);
            replica.log(s.timeline()).catchUpRetryAtTick = 0;
        } else {
            // Parts are still arriving: ask again only if they stop for a retry interval,
            // since each request makes a sender read and send the whole timeline again.
            replica.log(s.timeline()).catchUpRetryAtTick = replica.currentTick() + replica.config().catchUpRetryTicks();
        }
    }
}
