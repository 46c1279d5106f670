package org.sediment.router.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sediment.common.api.ssd.ColdRoute;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.block.ColdLink;

/**
 * Reads sunk data: the hook the HDD tier fills. The SSD tier answers a read that reaches sunk
 * data with the block's {@link ColdLink} and, when it knows it, the block's replicas
 * ({@link ColdRoute}); the reader fetches the block (one random read on one replica, falling back
 * to the others) and returns the owner's items in it.
 */
public interface ColdReader {

    /**
     * The items of {@code owner} in the block {@code link}, newest first.
     *
     * @param route the block's replicas, or null when the SSD tier did not know them
     */
    CompletableFuture<List<TimelineItem>> read(long owner, ColdLink link, ColdRoute route);

    /** For a deployment without a cold tier: a read of sunk data fails with a clear reason. */
    ColdReader NONE = (owner, link, route) -> CompletableFuture.failedFuture(new SedimentException(
            SedimentException.Reason.COLD_UNAVAILABLE, "timeline " + Long.toUnsignedString(owner)
            + " has data in the cold tier (block " + link + "), and this client has no cold reader"));
}
