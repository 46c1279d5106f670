package org.sediment.ops.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ChainedClientTest {

    /** Stops its clients after {@code limit} requests. */
    private static final class CountingSink implements ChainedClient.Sink {
        final int limit;
        final AtomicInteger recorded = new AtomicInteger();
        final AtomicInteger succeeded = new AtomicInteger();

        CountingSink(int limit) {
            this.limit = limit;
        }

        @Override
        public boolean running() {
            return recorded.get() < limit;
        }

        @Override
        public void record(long startNanos, boolean success) {
            assertThat(System.nanoTime() - startNanos).isNotNegative();
            recorded.incrementAndGet();
            if (success) {
                succeeded.incrementAndGet();
            }
        }
    }

    @Test
    void eachAnswerSendsTheNextRequestUntilTheSinkStopsTheClient() throws InterruptedException {
        ExecutorService answerer = Executors.newSingleThreadExecutor();
        AtomicInteger sent = new AtomicInteger();
        try {
            CountingSink sink = new CountingSink(200);
            CountDownLatch stopped = new CountDownLatch(1);
            new ChainedClient(() -> {
                sent.incrementAndGet();
                return CompletableFuture.supplyAsync(() -> true, answerer);
            }, sink, stopped).start();

            assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
            // One request in flight at a time: none is sent after the sink said stop.
            assertThat(sent.get()).isEqualTo(200);
            assertThat(sink.recorded.get()).isEqualTo(200);
            assertThat(sink.succeeded.get()).isEqualTo(200);
        } finally {
            answerer.shutdownNow();
        }
    }

    @Test
    void requestsAnsweredAtOnceLoopInsteadOfDeepeningTheStack() {
        // A million nested completions would overflow any thread's stack.
        CountingSink sink = new CountingSink(1_000_000);
        CountDownLatch stopped = new CountDownLatch(1);
        new ChainedClient(() -> CompletableFuture.completedFuture(true), sink, stopped).start();

        assertThat(stopped.getCount()).isZero();
        assertThat(sink.succeeded.get()).isEqualTo(1_000_000);
    }

    @Test
    void failedRequestsCountAsFailuresAndTheClientGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        Supplier<CompletableFuture<Boolean>> flaky = () -> switch (calls.getAndIncrement() % 4) {
            case 0 -> CompletableFuture.failedFuture(new IllegalStateException("no replica answered"));
            case 1 -> CompletableFuture.completedFuture(false);
            case 2 -> throw new IllegalStateException("request could not be built");
            default -> CompletableFuture.completedFuture(true);
        };
        CountingSink sink = new CountingSink(400);
        CountDownLatch stopped = new CountDownLatch(1);
        new ChainedClient(flaky, sink, stopped).start();

        assertThat(stopped.getCount()).isZero();
        assertThat(sink.recorded.get()).isEqualTo(400);
        assertThat(sink.succeeded.get()).isEqualTo(100);
    }
}
