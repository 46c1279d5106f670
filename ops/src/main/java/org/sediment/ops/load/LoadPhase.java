package org.sediment.ops.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One phase of a load generator: what its clients report to (latency from each request's start,
 * success or failure), then its {@link LoadResult}, optionally printed second by second.
 */
final class LoadPhase implements ChainedClient.Sink {

    interface Stop {
        void awaitClients() throws InterruptedException;
    }

    private final String name;
    private final boolean everySecond;
    private final Recorder recorder = new Recorder(3);
    private final LongAdder ok = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final long began = System.nanoTime();

    LoadPhase(String name, boolean everySecond) {
        this.name = name;
        this.everySecond = everySecond;
    }

    /** A closed-loop phase of {@code clients} {@link ChainedClient}s, which need no thread each. */
    static LoadResult chained(String name, int seconds, int clients, boolean everySecond,
                              Supplier<CompletableFuture<Boolean>> request) throws InterruptedException {
        LoadPhase phase = new LoadPhase(name, everySecond);
        CountDownLatch stopped = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            new ChainedClient(request, phase, stopped).start();
        }
        return phase.finish(seconds, stopped::await);
    }

    long began() {
        return began;
    }

    @Override
    public boolean running() {
        return running.get();
    }

    @Override
    public void record(long startNanos, boolean success) {
        recorder.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos)));
        (success ? ok : failed).increment();
    }

    /** Lets the clients run for {@code seconds}, stops them, and prints the result. */
    LoadResult finish(int seconds, Stop stop) throws InterruptedException {
        Histogram latency = new Histogram(3);
        if (everySecond && !name.equals("warm-up")) {
            for (int second = 1; second <= seconds; second++) {
                Thread.sleep(1_000);
                Histogram last = recorder.getIntervalHistogram();
                latency.add(last);
                System.out.printf("    %s, second %d: %d ops, p99 %.2f ms, max %.2f ms%n", name, second,
                        last.getTotalCount(), last.getValueAtPercentile(99) / 1000.0, last.getMaxValue() / 1000.0);
            }
        } else {
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        }
        running.set(false);
        stop.awaitClients();
        latency.add(recorder.getIntervalHistogram());
        double elapsed = (System.nanoTime() - began) / 1e9;
        LoadResult result = new LoadResult(name, ok.sum(), failed.sum(), elapsed, latency);
        System.out.println("  " + result.row());
        return result;
    }
}
