package org.sediment.memory.node;

/**
 * What a memory node did since it started, for health and metrics.
 *
 * @param pageReads      pages asked for
 * @param servedFromCache reads answered with the cached page once the SSD tier confirmed its
 *                        version: the hits
 * @param verdictsValid  cached versions the SSD tier confirmed (a confirmed page holding fewer
 *                       items than asked is read from the SSD tier all the same)
 * @param verdictsStale  claims answered with a fresh page
 * @param ssdPageReads   reads the cache could not answer in full, read from the SSD tier
 * @param versionChecks  version-check RPCs sent
 * @param claims         claims they carried: {@link #batchFactor()} = claims / checks
 * @param overloaded     requests refused because too many were queued
 */
public record MemoryNodeStats(int group, int node, long pageReads, long servedFromCache,
                              long verdictsValid, long verdictsStale, long ssdPageReads, long versionChecks, long claims,
                              long bytesCached, long budgetBytes, long evictions, long tornEntries, long overloaded) {

    /** Reads per version-check RPC. */
    public double batchFactor() {
        return versionChecks == 0 ? 0 : (double) claims / versionChecks;
    }

    /** Share of page reads answered from the cache. */
    public double hitRatio() {
        return pageReads == 0 ? 0 : (double) servedFromCache / pageReads;
    }
}
