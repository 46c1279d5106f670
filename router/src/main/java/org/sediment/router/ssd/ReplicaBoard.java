package org.sediment.router.ssd;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.Ping;

/**
 * What a client has seen of each replica lately: failure accrual. A replica that failed (timed
 * out, no connection) or was outrun by a hedge {@code strikesToAvoid} times in a row is
 * <em>avoided</em>: calls try it last, and a background probe pings it every
 * {@code probeIntervalMs} until it answers, which clears it. A hung machine (alive, sockets open,
 * answering nothing) thus costs a few hedging delays, not a timeout per request.
 *
 * <p>One board serves every group a client calls, so what it learned survives route reloads; it
 * also owns the timer thread that hedges and probes run on.
 */
public final class ReplicaBoard implements AutoCloseable {

    /**
     * @param strikesToAvoid  consecutive failures or lost hedge races that make a replica avoided
     * @param probeIntervalMs pause between probes of an avoided replica
     * @param probeTimeoutMs  how long a probe waits for the pong
     */
    public record Settings(int strikesToAvoid, long probeIntervalMs, long probeTimeoutMs) {
        public Settings {
            if (strikesToAvoid < 1 || probeIntervalMs < 1 || probeTimeoutMs < 1) {
                throw new IllegalArgumentException("strikes, probe interval and probe timeout must be ≥ 1");
            }
        }

        public static Settings defaults() {
            return new Settings(2, 100, 500);
        }
    }

    private final RpcClient rpc;
    private final Settings settings;
    private final ScheduledThreadPoolExecutor timer;
    private final ConcurrentHashMap<InetSocketAddress, Standing> standings = new ConcurrentHashMap<>();
    private final AtomicLong avoidances = new AtomicLong();

    public ReplicaBoard(RpcClient rpc, Settings settings) {
        this.rpc = rpc;
        this.settings = settings;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sediment-client-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** {@code rotation} with the avoided replicas moved to its end, each part in rotation order. */
    List<InetSocketAddress> order(List<InetSocketAddress> rotation) {
        List<InetSocketAddress> ordered = null;
        List<InetSocketAddress> avoided = null;
        for (int i = 0; i < rotation.size(); i++) {
            InetSocketAddress replica = rotation.get(i);
            if (avoided(replica)) {
                if (ordered == null) {
                    ordered = new ArrayList<>(rotation.subList(0, i));
                    avoided = new ArrayList<>(2);
                }
                avoided.add(replica);
            } else if (ordered != null) {
                ordered.add(replica);
            }
        }
        if (ordered == null) {
            return rotation;
        }
        ordered.addAll(avoided);
        return ordered;
    }

    public boolean avoided(InetSocketAddress replica) {
        Standing standing = standings.get(replica);
        return standing != null && standing.avoided;
    }

    /** How many times any replica became avoided: a counter for metrics and tests. */
    public long avoidances() {
        return avoidances.get();
    }

    /**
     * What one call to {@code server} tells of its health: any answer it sent shows it alive; a
     * local timeout or failure to connect counts a strike. For callers outside this package
     * (the memory tier's reader); the SSD group client records its calls itself.
     */
    public void record(InetSocketAddress server, RpcOutcome<?> outcome) {
        if (outcome instanceof RpcOutcome.Failure<?> f && f.origin() == RpcOutcome.Origin.LOCAL) {
            if (f.code() == ErrorCode.TIMEOUT || f.code() == ErrorCode.UNAVAILABLE) {
                struck(server);
            }
        } else {
            answered(server);
        }
    }

    /** The replica answered (anything, even an error it chose to send): it is alive. */
    void answered(InetSocketAddress replica) {
        Standing standing = standings.get(replica);
        if (standing != null && (standing.strikes.get() != 0 || standing.avoided)) {
            standing.strikes.set(0);
            standing.avoided = false;
        }
    }

    /** The replica timed out, could not be reached, or was outrun by a hedge. */
    void struck(InetSocketAddress replica) {
        Standing standing = standings.computeIfAbsent(replica, r -> new Standing());
        if (standing.strikes.incrementAndGet() >= settings.strikesToAvoid() && !standing.avoided) {
            synchronized (standing) {
                if (!standing.avoided) {
                    standing.avoided = true;
                    avoidances.incrementAndGet();
                    if (!standing.probing) {
                        standing.probing = true;
                        schedule(() -> probe(replica, standing), settings.probeIntervalMs() * 1000);
                    }
                }
            }
        }
    }

    private void probe(InetSocketAddress replica, Standing standing) {
        synchronized (standing) {
            if (!standing.avoided || timer.isShutdown()) {
                standing.probing = false;
                return;
            }
        }
        rpc.call(replica, RpcMethod.PING, new Ping(System.nanoTime()), CallOptions.of(0, settings.probeTimeoutMs()))
                .whenComplete((outcome, error) -> {
                    if (error == null && outcome instanceof RpcOutcome.Success<?>) {
                        synchronized (standing) {
                            standing.strikes.set(0);
                            standing.avoided = false;
                            standing.probing = false;
                        }
                    } else {
                        schedule(() -> probe(replica, standing), settings.probeIntervalMs() * 1000);
                    }
                });
    }

    /**
     * Runs {@code task} on the board's timer after {@code delayMicros}; cancel the result if it is
     * no longer needed. Null once the board is closed. The timer runs short tasks only.
     */
    public ScheduledFuture<?> schedule(Runnable task, long delayMicros) {
        try {
            return timer.schedule(task, delayMicros, TimeUnit.MICROSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static final class Standing {
        final AtomicInteger strikes = new AtomicInteger();
        volatile boolean avoided;
        boolean probing; // guarded by this
    }
}
