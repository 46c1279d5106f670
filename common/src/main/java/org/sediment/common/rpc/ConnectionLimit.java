package org.sediment.common.rpc;

import io.netty.channel.Channel;

/**
 * Admits at most {@code maxConnections} open connections to one server; one more is closed as
 * soon as it is accepted, before any handler is installed, and counted. An admitted connection
 * gives its place back when it closes, for whatever reason.
 *
 * <p>Thread-safe: the child channels of one server live on several event loops.
 */
final class ConnectionLimit {
    private final int maxConnections;
    private final RpcServerStats stats;

    ConnectionLimit(int maxConnections, RpcServerStats stats) {
        this.maxConnections = maxConnections;
        this.stats = stats;
    }

    /** True if {@code channel} may stay open; otherwise it has been closed. */
    boolean admit(Channel channel) {
        int open;
        do {
            open = stats.openConnections.get();
            if (open >= maxConnections) {
                stats.connectionsRejectedOverLimit.increment();
                channel.close();
                return false;
            }
        } while (!stats.openConnections.compareAndSet(open, open + 1));
        stats.connectionsAccepted.increment();
        channel.closeFuture().addListener(closed -> {
            int left = stats.openConnections.decrementAndGet();
            assert left >= 0 : "more connections released than admitted: " + left;
        });
        return true;
    }
}
