package org.sediment.router.ssd;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
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
 * <p>With hedging on ({@link SsdCallPolicy#hedge}), a call the first replica has not answered
 * within the group's recent p99 is also sent to the next replica, and the first answer wins; the
 * replica that lost the race earns a strike on the {@link ReplicaBoard}, and one with enough
 * strikes is tried last until a probe finds it answering again. A hung replica (alive, sockets
 * open, answering nothing) then costs a hedging delay per call for a few calls, not the timeout.
 *
 * <p>Retried on the next replica: {@code UNAVAILABLE} (down, starting, learner-only),
 * {@code OVERLOADED}, {@code TIMEOUT}, and writes answered {@code CONTENDED}. A write carries one
 * request id over all its attempts and hedges, so the group applies it at most once.
 * {@code STALE_ROUTE} is not retried: the caller's routes are out of date, and the exception
 * names the version to load ({@link SsdCallException#serverRouteVersion}).
 * <p>Each call comes in two forms: blocking (call it from virtual threads) and asynchronous
 * ({@code ...Async}), whose future completes on the RPC client's event loop or the board's timer.
 * A caller that keeps many calls in flight can chain the next call from there: the load generator
 * does, so that on a 2-core machine it does not spend a thread wake-up per call.
 */
public final class SsdGroupClient {
    private static final java.security.SecureRandom REQUEST_IDS = new java.security.SecureRandom();
    private final List<InetSocketAddress> replicas;
    private final RpcClient rpc;
    private final long routeVersion;
    private final SsdCallPolicy policy;
    private final ReplicaBoard board;
    private final LatencyWindow latencies;

    /** A client that tries replicas one after another, without hedging or failure accrual. */
    public SsdGroupClient(List<InetSocketAddress> replicas, RpcClient rpc, long routeVersion, long timeoutMs,
                          int passes, long backoffMs) {
        this(replicas, rpc, routeVersion, SsdCallPolicy.sequential(timeoutMs, passes, backoffMs), null);
    }

    /**
     * @param board what the caller knows of replicas' health, shared by its group clients; null for
     *              none (then {@code policy} must not hedge)
     */
    public SsdGroupClient(List<InetSocketAddress> replicas, RpcClient rpc, long routeVersion, SsdCallPolicy policy,
                          ReplicaBoard board) {
        this(replicas, rpc, routeVersion, policy, board,
                new LatencyWindow(policy.hedgeQuantile(), Math.max(1, policy.timeoutMs() * 1000 / 2)));
    }

    private SsdGroupClient(List<InetSocketAddress> replicas, RpcClient rpc, long routeVersion, SsdCallPolicy policy,
                           ReplicaBoard board, LatencyWindow latencies) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("need ≥ 1 replica");
        }
        if (policy.hedge() && board == null) {
            throw new IllegalArgumentException("hedging needs a replica board (its timer)");
        }
        this.replicas = List.copyOf(replicas);
        this.rpc = rpc;
        this.routeVersion = routeVersion;
        this.policy = policy;
        this.board = board;
        this.latencies = latencies;
    }

    /** The same group under another route version; keeps what was learned of its latencies. */
    public SsdGroupClient withRouteVersion(long version) {
        return new SsdGroupClient(replicas, rpc, version, policy, board, latencies);
    }

    public List<InetSocketAddress> replicas() {
        return replicas;
    }

    public long routeVersion() {
        return routeVersion;
    }

    /** The delay after which a call is hedged now, in microseconds. */
    public long hedgeDelayMicros() {
        return Math.max(policy.hedgeMinMicros(), latencies.percentileMicros());
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
    public static long newRequestId() {
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

    /** Any call of this group's API, routed by {@code timeline}, with this client's retries and hedging. */
    public <Q, R> CompletableFuture<R> callAsync(long timeline, RpcMethod<Q, R> method, Q request) {
        return new Call<>(timeline, method, request, reply -> false).start();
    }

    /** The replica a timeline's calls go to first: spreads timelines over the group. */
    public int firstReplica(long timeline) {
        return (int) Long.remainderUnsigned(Long.rotateLeft(timeline * 0x9E3779B97F4A7C15L, 17), replicas.size());
    }

    /** The timeline's replicas in priority order: its first, then round the group. */
    private List<InetSocketAddress> rotation(long timeline) {
        int first = firstReplica(timeline);
        if (first == 0) {
            return replicas;
        }
        List<InetSocketAddress> rotated = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            rotated.add(replicas.get((first + i) % replicas.size()));
        }
        return rotated;
    }

    /**
     * One call: tries the replicas in priority order (avoided ones last), up to {@code passes}
     * times round with {@code backoffMs} between passes, each attempt started when the one before
     * it failed, plus at most one hedge; at most two attempts are in flight at once.
     */
    private final class Call<Q, R> {
        private final List<InetSocketAddress> order;
        private final RpcMethod<Q, R> method;
        private final Q request;
        private final Predicate<R> retryAnswer;
        private final CompletableFuture<R> result = new CompletableFuture<>();
        private final List<InetSocketAddress> inFlight = new ArrayList<>(2);
        private int attempts;
        private boolean hedged;
        private ScheduledFuture<?> hedgeTimer;
        private String last = "no attempt";
        private ErrorCode lastCode = ErrorCode.UNAVAILABLE;
        private R lastAnswer;

        Call(long timeline, RpcMethod<Q, R> method, Q request, Predicate<R> retryAnswer) {
            List<InetSocketAddress> rotation = rotation(timeline);
            this.order = board == null ? rotation : board.order(rotation);
            this.method = method;
            this.request = request;
            this.retryAnswer = retryAnswer;
        }

        CompletableFuture<R> start() {
            synchronized (this) {
                next();
                if (policy.hedge() && !result.isDone()) {
                    hedgeTimer = board.schedule(this::hedge, hedgeDelayMicros());
                }
            }
            return result;
        }

        /** Starts the next attempt, or gives up when none is left and none is in flight. Holds the lock. */
        private void next() {
            if (attempts == policy.passes() * order.size()) {
                if (inFlight.isEmpty()) {
                    giveUp();
                }
                return;
            }
            InetSocketAddress replica = order.get(attempts % order.size());
            boolean newPass = attempts > 0 && attempts % order.size() == 0;
            attempts++;
            inFlight.add(replica);
            if (newPass && policy.backoffMs() > 0) {
                CompletableFuture.delayedExecutor(policy.backoffMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .execute(() -> send(replica));
            } else {
                send(replica);
            }
        }

        private void hedge() {
            synchronized (this) {
                if (result.isDone() || hedged || inFlight.size() != 1 || attempts == policy.passes() * order.size()) {
                    return;
                }
                hedged = true;
                next();
            }
        }

        private void send(InetSocketAddress replica) {
            long started = System.nanoTime();
            rpc.call(replica, method, request, CallOptions.of(routeVersion, policy.timeoutMs()))
                    .whenComplete((outcome, error) -> answered(replica, started, outcome, error));
        }

        private void answered(InetSocketAddress replica, long started, RpcOutcome<R> outcome, Throwable error) {
            Runnable complete;
            synchronized (this) {
                inFlight.remove(replica);
                if (result.isDone()) {
                    if (board != null && outcome instanceof RpcOutcome.Success<R>) {
                        board.answered(replica);
                    }
                    return;
                }
                complete = settle(replica, started, outcome, error);
                if (complete == null) {
                    next();
                    return;
                }
                if (hedgeTimer != null) {
                    hedgeTimer.cancel(false);
                }
                if (board != null) {
                    for (InetSocketAddress outrun : inFlight) {
                        board.struck(outrun);
                    }
                }
            }
            complete.run();
        }

        /** What ends the call with this answer, or null to try the next replica. Holds the lock. */
        private Runnable settle(InetSocketAddress replica, long started, RpcOutcome<R> outcome, Throwable error) {
            if (error != null) {
                return () -> result.completeExceptionally(error);
            }
            switch (outcome) {
                case RpcOutcome.Success<R> s -> {
                    if (board != null) {
                        board.answered(replica);
                    }
                    if (!retryAnswer.test(s.body())) {
                        latencies.record((System.nanoTime() - started) / 1000);
                        return () -> result.complete(s.body());
                    }
                    lastAnswer = s.body();
                    last = replica + " answered " + s.body();
                }
                case RpcOutcome.Failure<R> f -> {
                    if (board != null) {
                        if (f.origin() == RpcOutcome.Origin.LOCAL && struckBy(f.code())) {
                            board.struck(replica);
                        } else if (f.origin() == RpcOutcome.Origin.PEER) {
                            board.answered(replica);
                        }
                    }
                    if (!retryable(f.code())) {
                        SsdCallException failure = new SsdCallException(f.code(), replica + ": " + f.detail(),
                                f.currentRouteVersion());
                        return () -> result.completeExceptionally(failure);
                    }
                    lastCode = f.code();
                    last = replica + ": " + f.detail();
                }
            }
            return null;
        }

        private void giveUp() {
            if (lastAnswer != null) {
                R answer = lastAnswer; // e.g. CONTENDED everywhere: the caller sees the indeterminate answer
                result.complete(answer);
            } else {
                result.completeExceptionally(new SsdCallException(lastCode,
                        "every replica failed after " + policy.passes() + " passes; last " + last));
            }
        }
    }

    private static boolean struckBy(ErrorCode code) {
        return code == ErrorCode.TIMEOUT || code == ErrorCode.UNAVAILABLE;
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
