package org.sediment.ssd.node;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.sediment.ssd.node.wire.GroupProbeReply;

/**
 * Decides, from its peers' answers, whether a replica that found no state of its own on disk is
 * joining a group that already holds data (so its disk was lost: it must start learner-only, as
 * it may have voted on entries it no longer remembers) or forming a new group with its peers.
 *
 * <p>Getting this wrong in one direction breaks safety (a replica that forgot its votes would
 * vote again), so a peer's answer counts as "holds nothing" only when it is certain: the peer
 * has no state of its own either, or it has finished recovering its state and found neither an
 * applied timeline nor an accepted value. A peer that is still recovering is asked again, however
 * long that takes. Bare promises do not count as data: a replica that starts first may promise
 * to its own prepare before its peers have formatted, and nothing can be chosen without them.
 * Safety then rests on that window (a promise made and the promising replica's disk lost before
 * its proposer accepts a value) being far shorter than a restart.
 */
final class PeerSurvey {

    /** What the answers so far say. */
    enum Verdict {
        /** Some peer holds data: start learner-only. */
        GROUP_HAS_DATA,
        /** Every peer answered, and none holds data: a new group. */
        NEW_GROUP,
        /** Some peers have not given a certain answer yet. */
        UNDECIDED
    }

    private final long groupId;
    private final Set<Integer> unsettled = new TreeSet<>();
    private boolean groupHasData;

    PeerSurvey(long groupId, int self, int members) {
        this.groupId = groupId;
        for (int i = 0; i < members; i++) {
            if (i != self) {
                unsettled.add(i);
            }
        }
    }

    /** Takes one peer's answer; an answer for another group is ignored (that peer is asked again). */
    void answer(int peer, GroupProbeReply reply) {
        if (reply.groupId() != groupId || reply.nodeIndex() != peer || !unsettled.contains(peer)) {
            return;
        }
        if (!reply.formatted()) {
            unsettled.remove(peer); // no state of its own: it is deciding, like us
        } else if (reply.ready()) {
            if (reply.timelines() > 0 || reply.holdsAcceptedValues()) {
                groupHasData = true;
            }
            unsettled.remove(peer);
        }
        // formatted but still recovering: only a recovered state says whether it holds data
    }

    Verdict verdict() {
        if (groupHasData) {
            return Verdict.GROUP_HAS_DATA;
        }
        return unsettled.isEmpty() ? Verdict.NEW_GROUP : Verdict.UNDECIDED;
    }

    /** Peers still to ask, in index order. */
    List<Integer> unsettled() {
        return List.copyOf(unsettled);
    }
}
