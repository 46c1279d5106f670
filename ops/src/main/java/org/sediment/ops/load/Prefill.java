package org.sediment.ops.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.sediment.router.client.SedimentClient;

/** Fills timelines before a read phase, so every page read returns full pages. */
final class Prefill {
    private Prefill() {
    }

    /** Appends {@code itemsEach} values to each of timelines {@code 0..timelines-1}, {@code clients} at a time. */
    static void timelines(SedimentClient client, int timelines, int itemsEach, int clients, Supplier<byte[]> value)
            throws InterruptedException {
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong();
        long total = (long) itemsEach * timelines;
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            new ChainedClient(() -> {
                long i = next.getAndIncrement();
                return client.appendAsync(i % timelines, value.get()).thenApply(w -> true);
            }, new ChainedClient.Sink() {
                @Override
                public boolean running() {
                    return next.get() < total;
                }

                @Override
                public void record(long startNanos, boolean success) {
                }
            }, done).start();
        }
        done.await();
        System.out.printf("  prefilled %d timelines with %d items in %.1f s%n", timelines, total,
                (System.nanoTime() - start) / 1e9);
    }
}
