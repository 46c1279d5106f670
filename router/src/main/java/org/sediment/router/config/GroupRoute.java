package org.sediment.router.config;

import java.util.List;

/**
 * One group of a tier: its number in the partition map and its members. Within a group, each
 * timeline tries members in a rotation chosen by its hash, so load spreads evenly.
 */
public record GroupRoute(int id, List<Member> members) {

    public GroupRoute {
        members = List.copyOf(members);
    }

    /** The member a timeline tries {@code attempt}-th (0 = first choice). */
    public Member memberFor(long timelineHash, int attempt) {
        int first = (int) Long.remainderUnsigned(timelineHash, members.size());
        return members.get((first + attempt) % members.size());
    }
}
