package org.sediment.router.ssd;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sediment.common.api.ssd.GetReply;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.VersionCheckReply;
import org.sediment.common.api.ssd.VersionCheckRequest;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.wire.ErrorCode;

/**
 * Calls one SSD group. There is no leader to find: a call goes to the timeline's first replica in
 * rotation and, when that replica cannot answer now, straight to the next one, so losing a
 * replica costs a caller one retry, not a timeout per request.
 *
 * <p>Retried on the next replica: {@code UNAVAILABLE} (down, starting, learner-only),
 * {@code OVERLOADED}, {@code TIMEOUT}, and writes answered {@code CONTENDED}. The last two are
 * indeterminate, so a retried write is applied at least once: an append may then appear twice.
 * {@code STALE_ROUTE} is not retried: the caller's routes are out of date, and the exception
 * names the version to load ({@link SsdCallException#serverRouteVersion}).
 * <p>Each call comes in two forms: blocking (call it from virtual threads) and asynchronous
 * ({@code ...Async}), whose future completes on the RPC client's event loop. A caller that keeps
 * many calls in flight can chain the next call from there: the load generator does, so that on
 * a 2-core machine it does not spend a thread wake-up per call.
 */
public final class SsdGroupClient {
    private static final java.security.SecureRandom REQUEST_IDS = new java.security.SecureRandom();
    private final List<InetSocketAddress> replicas;
    private final RpcClient rpc;
    private final long routeVersion;
    private final long timeoutMs;
    private final int passes;
    private final long backoffMs;

    /**
     * @param passes    how many times to go round all replicas before giving up
     * @param backoffMs pause between passes (not between replicas)
     */
    public SsdGroupClient(List<InetSocketAddress> replicas, RpcClient rpc, long routeVersion, long timeoutMs,
                          int passes, long backoffMs) {
        if (replicas.isEmpty() || passes < 1 || backoffMs < 0) {
            throw new IllegalArgumentException("need ≥ 1 replica, ≥ 1 pass, backoff ≥ 0");
        }
        this.replicas = List.copyOf(replicas);
        this.rpc = rpc;
        this.routeVersion = routeVersion;
        this.timeoutMs = timeoutMs;
        this.passes = passes;
        this.backoffMs = backoffMs;
    }

    public WriteReply write(WriteRequest request) {
        return await(writeAsync(request));
    }

    public PageReply page(PageRequest request) {
        return await(pageAsync(request));
    }

    public GetReply get(GetRequest request) {
        return await(getAsync(request));
    }

    /** All claims must be of timelines of this group. */
    public VersionCheckReply versionCheck(VersionCheckRequest request) {
        return await(versionCheckAsync(request));
    }

    /**
     * Completes with the reply, or exceptionally with {@link SsdCallException}. A write without a
     * request id gets a random one here, so every retry of it (on this replica or the next) carries
     * the same id and the group applies it at most once.
     */
    public CompletableFuture<WriteReply> writeAsync(WriteRequest request) {
        WriteRequest identified = request.requestId() != WriteRequest.NO_REQUEST_ID ? request
                : request.withRequestId(newRequestId());
        return new Call<>(request.timeline(), SsdApi.WRITE, identified,
                reply -> reply.status() == WriteStatus.CONTENDED).start();
    }

    /** A random non-zero id: 64 random bits make two writes sharing one unlikely enough. */
    private static long newRequestId() {
        long id;
        do {
            id = REQUEST_IDS.nextLong();
        } while (id == WriteRequest.NO_REQUEST_ID);
        return id;
    }

    public CompletableFuture<PageReply> pageAsync(PageRequest request) {
        return new Call<>(request.timeline(), SsdApi.PAGE, request, reply -> false).start();
    }

    public CompletableFuture<GetReply> getAsync(GetRequest request) {
        return new Call<>(request.timeline(), SsdApi.GET, request, reply -> false).start();
    }

    public CompletableFuture<VersionCheckReply> versionCheckAsync(VersionCheckRequest request) {
        long first = request.claims().isEmpty() ? 0 : request.claims().getFirst().timeline();
        return new Call<>(first, SsdApi.VERSION_CHECK, request, reply -> false).start();
    }

    /** The replica a timeline's calls go to first: spreads timelines over the group. */
    public int firstReplica(long timeline) {
        return (int) Long.remainderUnsigned(Long.rotateLeft(timeline * 0x9E3779B97F4A7C15L, 17), replicas.size());
    }

    /**
     * One call: tries the replicas in rotation from the timeline's first, up to {@code passes}
     * times round with {@code backoffMs} between passes, each attempt started when the one before
     * it answered.
     */
    private final class Call<Q, R> {
        private final int first;
        private final RpcMethod<Q, R> method;
        private final Q request;
        private final Predicate<R> retryAnswer;
        private final CompletableFuture<R> result = new CompletableFuture<>();
        private int attempts;
        private String last = "no attempt";
        private ErrorCode lastCode = ErrorCode.UNAVAILABLE;
        private R lastAnswer;

        Call(long timeline, RpcMethod<Q, R> method, Q request, Predicate<R> retryAnswer) {
            this.first = firstReplica(timeline);
            this.method = method;
            this.request = request;
            this.retryAnswer = retryAnswer;
        }

        CompletableFuture<R> start() {
            attempt();
            return result;
        }

        private void attempt() {
            if (attempts == passes * replicas.size()) {
                giveUp();
                return;
            }
            InetSocketAddress replica = replicas.get((first + attempts) % replicas.size());
            boolean newPass = attempts > 0 && attempts % replicas.size() == 0;
            attempts++;
            if (newPass && backoffMs > 0) {
                CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS).execute(() -> send(replica));
            } else {
                send(replica);
            }
        }

        private void send(InetSocketAddress replica) {
            rpc.call(replica, method, request, CallOptions.of(routeVersion, timeoutMs)).whenComplete((outcome, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                    return;
                }
                switch (outcome) {
                    case RpcOutcome.Success<R> s -> {
                        if (!retryAnswer.test(s.body())) {
                            result.complete(s.body());
                            return;
                        }
                        lastAnswer = s.body();
                        last = replica + " answered " + s.body();
                    }
                    case RpcOutcome.Failure<R> f -> {
                        if (!retryable(f.code())) {
                            result.completeExceptionally(new SsdCallException(f.code(), replica + ": " + f.detail(),
                                    f.currentRouteVersion()));
                            return;
                        }
                        lastCode = f.code();
                        last = replica + ": " + f.detail();
                    }
                }
                attempt();
            });
        }

        private void giveUp() {
            if (lastAnswer != null) {
                result.complete(lastAnswer); // e.g. CONTENDED everywhere: the caller sees the indeterminate answer
            } else {
                result.completeExceptionally(new SsdCallException(lastCode,
                        "every replica failed after " + passes + " passes; last " + last));
            }
        }
    }

    private static <R> R await(CompletableFuture<R> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static boolean retryable(ErrorCode code) {
        return code == ErrorCode.UNAVAILABLE || code == ErrorCode.OVERLOADED || code == ErrorCode.TIMEOUT;
    }
}
