package org.sediment.router.client;

import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.Tier;

/**
 * Which tier serves a read (DESIGN §2): a read of the newest window may go to the memory tier, in
 * the route config's traffic ratio; everything else goes to the SSD tier, which also answers for
 * sunk data with cold links. Writes always go to the SSD tier and never ask.
 *
 * <p>Pure: the time and the random draw are inputs, so the policy is tested exactly.
 */
public final class ReadPathPolicy {

    /**
     * @param newestTs the newest item time the read can return: now for a page from the newest
     *                 item, the cursor's time for an older page, the item's time for a get
     * @param draw     uniform in [0, 1), one per read
     * @return {@link Tier#MEMORY} or {@link Tier#SSD}
     */
    public Tier tierFor(RouteConfig routes, long newestTs, long nowMillis, double draw) {
        if (routes.groups(Tier.MEMORY).isEmpty()) {
            return Tier.SSD;
        }
        long age = nowMillis - newestTs;
        if (age > routes.timeSplits().memoryMaxAgeMillis()) {
            return Tier.SSD; // older than anything the memory tier keeps
        }
        return draw < routes.memoryTrafficRatio() ? Tier.MEMORY : Tier.SSD;
    }
}
