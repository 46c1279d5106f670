package org.sediment.ops.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Tier;

/**
 * One tier's part of a local cluster: the seam a new tier plugs into ({@code sediment local}
 * starts every registered tier). A tier knows its groups' addresses before it starts, so the
 * cluster can write the route document every process follows first.
 */
interface LocalTier extends AutoCloseable {

    /** The groups this tier adds to the route config, by tier (a tier may add to several). */
    Map<Tier, List<GroupRoute>> groups();

    /** Starts the tier's processes or nodes, following {@code routesFile}; returns once they serve. */
    void start(Path routesFile) throws Exception;

    /**
     * Files and directories the tier keeps outside the cluster's directory (caches in shared
     * memory), for whoever deletes a throwaway cluster to delete too.
     */
    default List<Path> sharedMemory() {
        return List.of();
    }

    /** What to print about the running tier, one line each. */
    List<String> describe();

    @Override
    void close();
}
