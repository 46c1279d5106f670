package org.sediment.ops.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.sediment.ops.local.LocalCluster;
import org.sediment.router.client.SedimentClient;

/**
 * SDK appends while one replica process hangs: healthy for a while, then replica 0 of group 0
 * stopped with SIGSTOP (alive, sockets open, answering nothing) for the given seconds, then
 * continued. Reports the rate before and during the hang and the longest gap between two
 * successful writes of the whole run.
 */
final class HungReplicaRun {
    private HungReplicaRun() {
    }

    static String run(SedimentClient client, LocalCluster cluster, int clients, int hangSeconds, Supplier<byte[]> value,
                      int timelines) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lastSuccess = new AtomicLong(System.nanoTime());
        AtomicLong longestGap = new AtomicLong();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong slowest = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(clients);
        ChainedClient.Sink sink = new ChainedClient.Sink() {
            @Override
            public boolean running() {
                return running.get();
            }

            @Override
            public void record(long startNanos, boolean success) {
                long now = System.nanoTime();
                slowest.accumulateAndGet(now - startNanos, Math::max);
                if (success) {
                    ok.increment();
                    longestGap.accumulateAndGet(now - lastSuccess.getAndSet(now), Math::max);
                } else {
                    failed.increment();
                }
            }
        };
        Supplier<CompletableFuture<Boolean>> append = () -> client.appendAsync(
                ThreadLocalRandom.current().nextLong(timelines), value.get()).thenApply(w -> true);
        for (int i = 0; i < clients; i++) {
            new ChainedClient(append, sink, stopped).start();
        }
        Thread.sleep(hangSeconds * 1_000L);
        long healthy = ok.sum();
        long pid = cluster.ssdProcessPid(0, 0);
        signal("STOP", pid);
        long hungFrom = System.nanoTime();
        Thread.sleep(hangSeconds * 1_000L);
        long duringHang = ok.sum() - healthy;
        double hungFor = (System.nanoTime() - hungFrom) / 1e9;
        signal("CONT", pid);
        Thread.sleep(2_000);
        running.set(false);
        stopped.await();
        double healthyRate = healthy / (double) hangSeconds;
        double hungRate = duringHang / hungFor;
        return String.format("one replica hung %d s (SIGSTOP): %.0f appends/s healthy, %.0f/s while hung (%.0f%%), "
                        + "longest gap between successful writes %d ms, slowest write %d ms, %d failed",
                hangSeconds, healthyRate, hungRate, 100 * hungRate / healthyRate, longestGap.get() / 1_000_000,
                slowest.get() / 1_000_000, failed.sum());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }
}
