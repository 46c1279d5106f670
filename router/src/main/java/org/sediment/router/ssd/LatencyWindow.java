package org.sediment.router.ssd;

import java.util.Arrays;

/**
 * The recent latencies of successful calls to one group, for the hedging delay: a ring of the
 * last {@link #SAMPLES} samples whose high percentile is recomputed every {@link #RECOMPUTE_EVERY}
 * samples (and at 16, 32 and 64 samples while the ring fills), so a call reads a field instead of
 * sorting. Before the first 16 samples it reports {@link #INITIAL_MICROS} (or the ceiling, if lower).
 *
 * <p>Thread-safe by locking a few nanoseconds per sample; the sort runs at most once per
 * {@link #RECOMPUTE_EVERY} calls, on the caller that fills the window.
 */
final class LatencyWindow {
    static final int SAMPLES = 1024;
    static final int RECOMPUTE_EVERY = 128;
    /** What a new window reports: a guess at a slow call on a busy machine. */
    static final long INITIAL_MICROS = 50_000;

    private final long[] micros = new long[SAMPLES];
    private final double quantile;
    private final long ceilingMicros;
    private int next;
    private long recorded;
    private volatile long percentileMicros;

    /**
     * @param quantile      which percentile to track, e.g. 0.99
     * @param ceilingMicros the largest value it reports
     */
    LatencyWindow(double quantile, long ceilingMicros) {
        if (!(quantile > 0 && quantile < 1) || ceilingMicros < 1) {
            throw new IllegalArgumentException("quantile in (0, 1) and ceiling ≥ 1 µs needed");
        }
        this.quantile = quantile;
        this.ceilingMicros = ceilingMicros;
        this.percentileMicros = Math.min(ceilingMicros, INITIAL_MICROS);
    }

    void record(long latencyMicros) {
        long[] snapshot = null;
        synchronized (this) {
            micros[next] = latencyMicros;
            next = (next + 1) % SAMPLES;
            recorded++;
            if (recorded % RECOMPUTE_EVERY == 0 || recorded == 16 || recorded == 32 || recorded == 64) {
                snapshot = Arrays.copyOf(micros, (int) Math.min(recorded, SAMPLES));
            }
        }
        if (snapshot != null) {
            Arrays.sort(snapshot);
            int index = (int) Math.min(snapshot.length - 1, Math.ceil(quantile * snapshot.length) - 1);
            percentileMicros = Math.min(ceilingMicros, Math.max(1, snapshot[Math.max(0, index)]));
        }
    }

    /** The tracked percentile of recent calls, in microseconds. */
    long percentileMicros() {
        return percentileMicros;
    }
}
