package org.sediment.memory.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.sediment.common.api.ssd.VersionCheckReply;
import org.sediment.common.api.ssd.VersionCheckRequest;
import org.sediment.common.api.ssd.VersionClaim;
import org.sediment.common.api.ssd.VersionVerdict;

/**
 * Merges the version checks of concurrent reads into one {@code VERSION_CHECK} RPC per batch
 * (DESIGN §4, request merging): a memory node serves one SSD group, so every claim can go in the
 * same request. Batching is natural, not timed: at most {@code maxInFlight} checks are out at
 * once, and the claims that arrive while they are out leave together in the next one (up to
 * {@code maxBatch}). A lone read waits for nothing; under load, batches grow with the load.
 *
 * <p>Every claim is sent after its read arrived, so a verdict says what the SSD tier held at
 * some moment inside the read: the memory tier stays linearizable.
 */
final class VersionCheckBatcher implements AutoCloseable {
    private final Function<VersionCheckRequest, CompletableFuture<VersionCheckReply>> send;
    private final int maxBatch;
    private final int pageLimit;
    private final Semaphore inFlight;
    private final BlockingQueue<Pending> queue;
    private final Thread sender;
    private volatile boolean closed;
    final LongAdder checks = new LongAdder();
    final LongAdder claims = new LongAdder();

    private record Pending(VersionClaim claim, CompletableFuture<VersionVerdict> verdict) {
    }

    /**
     * @param send      sends one check to the SSD group; its future fails on any error
     * @param pageLimit the most items of a fresh page the SSD tier returns for a stale claim
     * @param maxQueued claims waiting at most; one more fails at once (the node is overloaded)
     */
    VersionCheckBatcher(Function<VersionCheckRequest, CompletableFuture<VersionCheckReply>> send, int maxBatch,
                        int maxInFlight, int pageLimit, int maxQueued, String threadName) {
        this.send = send;
        this.maxBatch = maxBatch;
        this.pageLimit = pageLimit;
        this.inFlight = new Semaphore(maxInFlight);
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.sender = Thread.ofPlatform().name(threadName).daemon().start(this::run);
    }

    /** The SSD tier's verdict on {@code claim}; fails if the check fails or the node is overloaded. */
    CompletableFuture<VersionVerdict> check(VersionClaim claim) {
        CompletableFuture<VersionVerdict> verdict = new CompletableFuture<>();
        if (closed) {
            verdict.completeExceptionally(new IllegalStateException("memory node closed"));
        } else if (!queue.offer(new Pending(claim, verdict))) {
            verdict.completeExceptionally(new OverloadedException(queue.size() + " version checks waiting"));
        } else if (closed && queue.remove(new Pending(claim, verdict))) {
            verdict.completeExceptionally(new IllegalStateException("memory node closed")); // raced with close()
        }
        return verdict;
    }

    /** Claims per check so far: how much merging saved. */
    double batchFactor() {
        long sent = checks.sum();
        return sent == 0 ? 0 : (double) claims.sum() / sent;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        try {
            while (!closed) {
                batch.add(queue.take());
                inFlight.acquire(); // meanwhile more claims queue: they join this batch
                queue.drainTo(batch, maxBatch - batch.size());
                dispatch(List.copyOf(batch));
                batch.clear();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } finally {
            for (Pending p : batch) {
                p.verdict.completeExceptionally(new IllegalStateException("memory node closed"));
            }
        }
    }

    private void dispatch(List<Pending> batch) {
        List<VersionClaim> sent = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            sent.add(p.claim);
        }
        checks.increment();
        claims.add(batch.size());
        CompletableFuture<VersionCheckReply> reply;
        try {
            reply = send.apply(new VersionCheckRequest(sent, pageLimit));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((answer, error) -> {
            inFlight.release();
            Throwable failure = error == null && answer.verdicts().size() != batch.size()
                    ? new IllegalStateException(answer.verdicts().size() + " verdicts for " + batch.size() + " claims")
                    : error;
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (failure != null) {
                    p.verdict.completeExceptionally(failure);
                } else if (answer.verdicts().get(i).timeline() != p.claim.timeline()) {
                    p.verdict.completeExceptionally(new IllegalStateException("verdict " + i + " is for timeline "
                            + answer.verdicts().get(i).timeline() + ", the claim for " + p.claim.timeline()));
                } else {
                    p.verdict.complete(answer.verdicts().get(i));
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        for (Pending p; (p = queue.poll()) != null; ) {
            p.verdict.completeExceptionally(new IllegalStateException("memory node closed"));
        }
    }

    /** Too many reads are waiting for their version check. */
    static final class OverloadedException extends RuntimeException {
        OverloadedException(String message) {
            super(message);
        }
    }
}
