package org.sediment.memory.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.sediment.common.api.ssd.VersionCheckReply;
import org.sediment.common.api.ssd.VersionCheckRequest;
import org.sediment.common.api.ssd.VersionClaim;
import org.sediment.common.api.ssd.VersionVerdict;

class VersionCheckBatcherTest {
    private record Sent(VersionCheckRequest request, CompletableFuture<VersionCheckReply> reply) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private CompletableFuture<VersionCheckReply> send(VersionCheckRequest request) {
        CompletableFuture<VersionCheckReply> reply = new CompletableFuture<>();
        sent.add(new Sent(request, reply));
        return reply;
    }

    private static VersionCheckReply allValid(VersionCheckRequest request) {
        return new VersionCheckReply(request.claims().stream().map(VersionVerdict::current).toList());
    }

    @Test
    void claimsArrivingWhileACheckIsOutLeaveTogetherInTheNextAndEachGetsItsOwnVerdict() throws Exception {
        try (VersionCheckBatcher batcher = new VersionCheckBatcher(this::send, 100, 1, 20, 1_000, "test-checks")) {
            CompletableFuture<VersionVerdict> first = batcher.check(new VersionClaim(1, 5));
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
            List<CompletableFuture<VersionVerdict>> waiting = new ArrayList<>();
            for (long t = 10; t < 30; t++) {
                waiting.add(batcher.check(new VersionClaim(t, t)));
            }
            Thread.sleep(50);
            assertThat(sent).as("one check in flight at most").hasSize(1);
            sent.getFirst().reply().complete(allValid(sent.getFirst().request()));
            assertThat(first.get().valid()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 2);
            VersionCheckRequest merged = sent.get(1).request();
            assertThat(merged.claims()).hasSize(20);
            assertThat(merged.pageLimit()).isEqualTo(20);
            List<VersionVerdict> verdicts = new ArrayList<>();
            for (VersionClaim claim : merged.claims()) {
                verdicts.add(claim.timeline() % 2 == 0 ? VersionVerdict.current(claim)
                        : VersionVerdict.stale(claim.timeline(), claim.version() + 1, List.of(), true));
            }
            sent.get(1).reply().complete(new VersionCheckReply(verdicts));
            for (int i = 0; i < waiting.size(); i++) {
                VersionVerdict verdict = waiting.get(i).get();
                assertThat(verdict.timeline()).isEqualTo(10 + i);
                assertThat(verdict.valid()).isEqualTo(verdict.timeline() % 2 == 0);
            }
            assertThat(batcher.batchFactor()).isEqualTo(21 / 2.0);
        }
    }

    @Test
    void aFailedCheckFailsEveryClaimInItAndTooManyWaitingClaimsAreRefused() throws Exception {
        try (VersionCheckBatcher batcher = new VersionCheckBatcher(this::send, 100, 1, 20, 3, "test-checks")) {
            CompletableFuture<VersionVerdict> first = batcher.check(new VersionClaim(1, 5));
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
            // The sender holds one claim while it waits for the check in flight, the queue three more.
            List<CompletableFuture<VersionVerdict>> queued = new ArrayList<>();
            CompletableFuture<VersionVerdict> refused = null;
            for (long t = 0; t < 10 && refused == null; t++) {
                CompletableFuture<VersionVerdict> claim = batcher.check(new VersionClaim(t, 1));
                if (claim.isCompletedExceptionally()) {
                    refused = claim;
                } else {
                    queued.add(claim);
                }
            }
            assertThat(refused).as("a claim past the queue's room").isNotNull();
            assertThat(queued).hasSizeBetween(3, 4);
            assertThat(refused).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(VersionCheckBatcher.OverloadedException.class);
            sent.getFirst().reply().completeExceptionally(new IllegalStateException("group unavailable"));
            assertThat(first).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("group unavailable");
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 2);
            sent.get(1).reply().completeExceptionally(new IllegalStateException("still unavailable"));
            for (CompletableFuture<VersionVerdict> claim : queued) {
                assertThat(claim).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                        .withMessageContaining("still unavailable");
            }
        }
    }
}
