package org.sediment.router.ssd;

/**
 * How a group client calls a group's replicas.
 *
 * @param timeoutMs      how long one attempt on one replica may take
 * @param passes         how many times to go round all replicas before giving up
 * @param backoffMs      pause between passes (not between replicas)
 * @param hedge          whether a call still unanswered after the hedging delay is also sent to
 *                       the next replica (the first answer wins; a write keeps its request id, so
 *                       the group applies it once)
 * @param hedgeQuantile  the hedging delay is this percentile of the group's recent latencies
 * @param hedgeMinMicros ... but never below this, so a fast group is not hedged on noise
 */
public record SsdCallPolicy(long timeoutMs, int passes, long backoffMs, boolean hedge, double hedgeQuantile,
                            long hedgeMinMicros) {
    public SsdCallPolicy {
        if (timeoutMs < 1 || passes < 1 || backoffMs < 0) {
            throw new IllegalArgumentException("need timeout ≥ 1 ms, ≥ 1 pass, backoff ≥ 0");
        }
        if (!(hedgeQuantile > 0 && hedgeQuantile < 1) || hedgeMinMicros < 0) {
            throw new IllegalArgumentException("hedge quantile must be in (0, 1) and its floor ≥ 0");
        }
    }

    /** Replicas tried one after another, each after the one before failed; no hedging. */
    public static SsdCallPolicy sequential(long timeoutMs, int passes, long backoffMs) {
        return new SsdCallPolicy(timeoutMs, passes, backoffMs, false, 0.99, 0);
    }

    /** What the SDK uses: 2 s attempts, 3 passes 50 ms apart, hedged at the recent p99 (≥ 2 ms). */
    public static SsdCallPolicy defaults() {
        return new SsdCallPolicy(2_000, 3, 50, true, 0.99, 2_000);
    }
}
