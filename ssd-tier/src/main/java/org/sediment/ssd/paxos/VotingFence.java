package org.sediment.ssd.paxos;

import java.util.Map;

/**
 * What a replica that lost its disk must respect after it rejoins: its lost incarnation may
 * have promised or accepted in entries up to {@code fenceEntry(timeline)}, under ballots whose
 * counter is at most {@code ballotCounterFloor}. In those entries the replica votes only for
 * ballots above the floor (so never for a fast accept), and it reports those entries as
 * possibly known to strong reads. Timelines no peer listed are fenced at entry 1.
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

    public boolean allowsVote(long timeline, long entry, long ballot) {
        return entry > fenceEntry(timeline) || Ballot.counter(ballot) > ballotCounterFloor;
    }

    /** Highest entry the lost incarnation could have accepted a value in (0 if none). */
    public long mayHaveKnown(long timeline) {
        return Math.max(0, fenceEntry(timeline) - 1);
    }
}
