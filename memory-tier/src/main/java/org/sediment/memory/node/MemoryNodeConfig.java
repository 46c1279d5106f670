package org.sediment.memory.node;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One memory node: which group it caches for, where it listens, where its cache lives and how
 * it merges version checks.
 *
 * @param group             the memory group, which is the SSD group whose timelines it caches
 * @param node              its index within the memory group
 * @param routesFile        the route document; the node follows changes to it
 * @param cacheDir          the cache's chain files (shared memory in production)
 * @param budgetBytes       memory for the cache
 * @param chains            how many chains split the budget
 * @param pageDepth         the most items of a timeline's newest page the node caches and serves
 * @param maxBatch          claims in one version check at most
 * @param maxChecksInFlight version checks out at once; claims arriving meanwhile are merged
 * @param checkVersions     false only in tests that show what the check prevents: the node then
 *                          serves cached pages unchecked, and can serve stale data
 */
public record MemoryNodeConfig(int group, int node, InetSocketAddress address, Path routesFile, Path cacheDir,
                               long budgetBytes, int chains, int pageDepth, int maxBatch, int maxChecksInFlight,
                               boolean checkVersions) {

    public static final int DEFAULT_CHAINS = 32;
    public static final int DEFAULT_PAGE_DEPTH = 100;

    public MemoryNodeConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(routesFile, "routesFile");
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (group < 0 || node < 0) {
            throw new IllegalArgumentException("group and node are ≥ 0, got " + group + " and " + node);
        }
        if (budgetBytes < (long) chains * 64 * 1024) {
            throw new IllegalArgumentException("a budget of " + budgetBytes + " B is below 64 KiB per chain");
        }
        if (pageDepth < 1 || pageDepth > 1_000 || maxBatch < 1 || maxBatch > 1_000 || maxChecksInFlight < 1) {
            throw new IllegalArgumentException("pageDepth and maxBatch must be in [1, 1000], maxChecksInFlight ≥ 1");
        }
    }

    /** Defaults for everything but where the node is and what it caches for. */
    public static MemoryNodeConfig of(int group, int node, InetSocketAddress address, Path routesFile, Path cacheDir,
                                      long budgetBytes) {
        return new MemoryNodeConfig(group, node, address, routesFile, cacheDir, budgetBytes, DEFAULT_CHAINS,
                DEFAULT_PAGE_DEPTH, 256, 2, true);
    }

    /** The same node serving cached pages without asking the SSD tier: for tests only. */
    public MemoryNodeConfig withoutVersionChecks() {
        return new MemoryNodeConfig(group, node, address, routesFile, cacheDir, budgetBytes, chains, pageDepth,
                maxBatch, maxChecksInFlight, false);
    }
}
