package org.sediment.common.api.ssd;

import org.sediment.common.block.ColdLink;
import org.sediment.common.key.ItemKey;

/**
 * The sinker's second phase: the block at {@code link} is on every cold replica, so from this
 * write on the timeline's items older than {@code coldBeforeTs} are served by the link and the
 * hot copies may go. Decided through the timeline's Paxos log like any write and answered with
 * a {@link WriteReply}; conditional on {@code ifVersion}, the sinker learns that the timeline
 * changed under the block it copied.
 *
 * @param coldBeforeTs exclusive bound, epoch-ms: above every item time in the block and at most
 *                     one past the newest possible item time
 */
public record ColdLinkCommit(long timeline, long ifVersion, long coldBeforeTs, ColdLink link) {

    public ColdLinkCommit {
        Checks.notNull(link, "link");
        Checks.ifVersion(ifVersion);
        if (coldBeforeTs <= link.maxTs() || coldBeforeTs > ItemKey.MAX_TS + 1) {
            throw new IllegalArgumentException("coldBeforeTs must be in (" + link.maxTs() + ", "
                    + (ItemKey.MAX_TS + 1) + "] for a block up to ts " + link.maxTs() + ", got " + coldBeforeTs);
        }
    }
}
