package org.sediment.memory.node;

/**
 * What a memory node did since it started, for health and metrics.
 *
 * @param pageReads      pages asked for
 * @param cacheHits      lookups that found a page in the cache (it was still checked)
 * @param cacheMisses    lookups that found none
 * @param verdictsValid  cached versions the SSD tier confirmed: reads served from the cache
 * @param verdictsStale  claims answered with a fresh page
 * @param ssdPageReads   reads the cache could not answer in full, read from the SSD tier
 * @param versionChecks  version-check RPCs sent
 * @param claims         claims they carried: {@link #batchFactor()} = claims / checks
 * @param overloaded     requests refused because too many were queued
 */
public record MemoryNodeStats(int group, int node, long pageReads, long cacheHits, long cacheMisses,
                              long verdictsValid, long verdictsStale, long ssdPageReads, long versionChecks, long claims,
                              long bytesCached, long budgetBytes, long evictions, long tornEntries, long overloaded) {

    /** Reads per version-check RPC. */
    public double batchFactor() {
        return versionChecks == 0 ? 0 : (double) claims / versionChecks;
    }

    /** Share of page reads whose cached page the SSD tier confirmed. */
    public double hitRatio() {
        return pageReads == 0 ? 0 : (double) verdictsValid / pageReads;
    }
}
