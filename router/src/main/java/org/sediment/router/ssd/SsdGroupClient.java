package org.sediment.router.ssd;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Function;
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
 * Blocking; call it from virtual threads.
 */
public final class SsdGroupClient {
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
        return call(request.timeline(), SsdApi.WRITE, request, reply -> reply.status() == WriteStatus.CONTENDED);
    }

    public PageReply page(PageRequest request) {
        return call(request.timeline(), SsdApi.PAGE, request, reply -> false);
    }

    public GetReply get(GetRequest request) {
        return call(request.timeline(), SsdApi.GET, request, reply -> false);
    }

    /** All claims must be of timelines of this group. */
    public VersionCheckReply versionCheck(VersionCheckRequest request) {
        long first = request.claims().isEmpty() ? 0 : request.claims().getFirst().timeline();
        return call(first, SsdApi.VERSION_CHECK, request, reply -> false);
    }

    /** The replica a timeline's calls go to first: spreads timelines over the group. */
    public int firstReplica(long timeline) {
        return (int) Long.remainderUnsigned(Long.rotateLeft(timeline * 0x9E3779B97F4A7C15L, 17), replicas.size());
    }

    private <Q, R> R call(long timeline, RpcMethod<Q, R> method, Q request, Function<R, Boolean> retryAnswer) {
        int first = firstReplica(timeline);
        String last = "no attempt";
        ErrorCode lastCode = ErrorCode.UNAVAILABLE;
        R lastAnswer = null;
        for (int pass = 0; pass < passes; pass++) {
            if (pass > 0 && backoffMs > 0) {
                sleep(backoffMs);
            }
            for (int i = 0; i < replicas.size(); i++) {
                InetSocketAddress replica = replicas.get((first + i) % replicas.size());
                RpcOutcome<R> outcome = rpc.call(replica, method, request, CallOptions.of(routeVersion, timeoutMs)).join();
                switch (outcome) {
                    case RpcOutcome.Success<R> s -> {
                        if (!retryAnswer.apply(s.body())) {
                            return s.body();
                        }
                        lastAnswer = s.body();
                        last = replica + " answered " + s.body();
                    }
                    case RpcOutcome.Failure<R> f -> {
                        if (!retryable(f.code())) {
                            throw new SsdCallException(f.code(), replica + ": " + f.detail());
                        }
                        lastCode = f.code();
                        last = replica + ": " + f.detail();
                    }
                }
            }
        }
        if (lastAnswer != null) {
            return lastAnswer; // e.g. CONTENDED everywhere: the caller sees the indeterminate answer
        }
        throw new SsdCallException(lastCode, "every replica failed after " + passes + " passes; last " + last);
    }

    private static boolean retryable(ErrorCode code) {
        return code == ErrorCode.UNAVAILABLE || code == ErrorCode.OVERLOADED || code == ErrorCode.TIMEOUT;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SsdCallException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }
}
