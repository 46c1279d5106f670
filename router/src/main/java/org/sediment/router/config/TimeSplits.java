package org.sediment.router.config;

/**
 * Where a read goes by the age of what it asks for.
 *
 * @param memoryMaxAgeMillis reads of items younger than this may be served by the memory tier
 * @param sinkAgeMillis      items older than this sink to the HDD tier and are read via links
 */
public record TimeSplits(long memoryMaxAgeMillis, long sinkAgeMillis) {

    public TimeSplits {
        if (memoryMaxAgeMillis < 1) {
            throw new IllegalArgumentException("timeSplits.memoryMaxAgeMillis must be ≥ 1, got " + memoryMaxAgeMillis);
        }
        if (sinkAgeMillis <= memoryMaxAgeMillis) {
            throw new IllegalArgumentException("timeSplits.sinkAgeMillis (" + sinkAgeMillis
                    + ") must be greater than timeSplits.memoryMaxAgeMillis (" + memoryMaxAgeMillis + ")");
        }
    }
}
