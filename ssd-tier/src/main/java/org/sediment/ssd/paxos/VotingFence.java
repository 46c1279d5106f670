package org.sediment.ssd.paxos;

import java.util.Map;

/**
 * What a replica that lost its disk must respect after it rejoins: its lost incarnation may
 * have promised or accepted in entries up to {@code fenceEntry(timeline)}, and used ballot
 * counters up to {@code ballotCounterFloor}. In those entries the replica does not vote at all
 * (a promise from it would claim "nothing accepted", which may be false); they are decided by
 * the other replicas and learned. It reports them as possibly known to strong reads, and its
 * own ballots start above the floor. Timelines no peer listed are not fenced: no peer held any
 * state for them, and serving the verification made every peer abandon its prepare rounds in
 * flight, so no promise the lost incarnation gave can still turn into an accept.
 *
 * <p>See PAXOS.md, "Learner-only mode", for why these bounds cover the lost state.
 */
public record VotingFence(long ballotCounterFloor, Map<Long, Long> fenceEntryByTimeline, long defaultFenceEntry) {

    /** A replica that never lost state. */
    public static final VotingFence NONE = new VotingFence(-1, Map.of(), 0);

    public VotingFence {
        fenceEntryByTimeline = Map.copyOf(fenceEntryByTimeline);
    }

    public long fenceEntry(long timeline) {
        return fenceEntryByTimeline.getOrDefault(timeline, defaultFenceEntry);
    }

    public boolean allowsVote(long timeline, long entry) {
        return entry > fenceEntry(timeline);
    }

    /** Highest entry the lost incarnation could have accepted a value in (0 if none). */
    public long mayHaveKnown(long timeline) {
        return Math.max(0, fenceEntry(timeline) - 1);
    }
}
