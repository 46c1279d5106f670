package org.sediment.ops.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * A closed-loop load client without a thread of its own: it sends its next request from the
 * completion of the last one, which runs on the RPC client's event loop. Sixty-four clients on
 * virtual threads cost a wake-up of a carrier thread for every reply and a hand-off to the event
 * loop for every request, CPU the measured group on the same two cores then lacks.
 */
final class ChainedClient {

    /** Where a client reports each request: its latency from {@code startNanos}, and whether it succeeded. */
    interface Sink {
        boolean running();

        void record(long startNanos, boolean success);
    }

    private final Supplier<CompletableFuture<Boolean>> request;
    private final Sink sink;
    private final CountDownLatch stopped;

    /** Counts {@code stopped} down once it has stopped: {@code sink} said stop and its last request completed. */
    ChainedClient(Supplier<CompletableFuture<Boolean>> request, Sink sink, CountDownLatch stopped) {
        this.request = request;
        this.sink = sink;
        this.stopped = stopped;
    }

    void start() {
        sendUntilStopped();
    }

    private void sendUntilStopped() {
        while (sink.running()) {
            long start = System.nanoTime();
            CompletableFuture<Boolean> call;
            try {
                call = request.get();
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            if (!call.isDone()) {
                call.whenComplete((success, error) -> {
                    sink.record(start, error == null && success);
                    sendUntilStopped();
                });
                return;
            }
            // Answered at once (e.g. no connection): loop here rather than recurse.
            sink.record(start, !call.isCompletedExceptionally() && call.join());
        }
        stopped.countDown();
    }
}
