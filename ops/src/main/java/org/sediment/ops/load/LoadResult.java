package org.sediment.ops.load;

import org.HdrHistogram.Histogram;

/** One measured phase of a load generator: how many operations, how many failed, and their latency (µs). */
record LoadResult(String name, long ops, long failed, double seconds, Histogram latency) {

    double opsPerSecond() {
        return ops / seconds;
    }

    /** A Markdown table row: workload, ops/s, p50, p99, p99.9, max (ms), failed. */
    String row() {
        return String.format("| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %d |", name, opsPerSecond(),
                ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
                ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()), failed);
    }

    static String header() {
        return "| workload | ops/s | p50 ms | p99 ms | p99.9 ms | max ms | failed |\n|---|---|---|---|---|---|---|";
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
