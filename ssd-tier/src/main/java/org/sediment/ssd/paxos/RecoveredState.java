package org.sediment.ssd.paxos;

import java.util.HashMap;
import java.util.Map;

/**
 * What a replica reloads from durable storage at start. {@code voting == false} means the disk
 * was lost (or never formatted as a member): the replica starts learner-only.
 */
public record RecoveredState(boolean voting, VotingFence fence, long ballotCounterReservedUpTo,
                             Map<Long, Map<Long, AcceptorRecord>> acceptorRecords, AppliedState applied) {

    /** A member formatted when the group was created. */
    public static RecoveredState freshMember(AppliedState empty) {
        return new RecoveredState(true, VotingFence.NONE, 0, new HashMap<>(), empty);
    }

    /** A replica whose disk is gone: it must relearn everything before it may vote. */
    public static RecoveredState lostDisk(AppliedState empty) {
        return new RecoveredState(false, VotingFence.NONE, 0, new HashMap<>(), empty);
    }
}
