package org.sediment.common.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.sediment.common.time.Clock;

/**
 * A fixed number of connections to one remote address, used round robin. A connection that
 * closed is replaced on the next call that picks its slot; a failed connect makes that slot fail
 * fast for {@code reconnectBackoffMs}, so a dead peer costs callers nothing but an UNAVAILABLE.
 */
final class PeerPool {
    private final InetSocketAddress peer;
    private final Bootstrap bootstrap;
    private final Clock clock;
    private final long reconnectBackoffNanos;
    private final Slot[] slots;
    private final AtomicInteger next = new AtomicInteger();

    PeerPool(InetSocketAddress peer, Bootstrap bootstrap, Clock clock, int connections, long reconnectBackoffMs) {
        this.peer = peer;
        this.bootstrap = bootstrap;
        this.clock = clock;
        this.reconnectBackoffNanos = reconnectBackoffMs * 1_000_000L;
        this.slots = new Slot[connections];
        for (int i = 0; i < connections; i++) {
            slots[i] = new Slot();
        }
    }

    /** A connected channel, or a future failed with the connect error. */
    CompletableFuture<Channel> acquire() {
        return slots[Math.floorMod(next.getAndIncrement(), slots.length)].channel();
    }

    void close() {
        for (Slot slot : slots) {
            slot.close();
        }
    }

    /** Connections open right now; one the peer closed stops counting once this side has seen the close. */
    int activeConnections() {
        int active = 0;
        for (Slot slot : slots) {
            active += slot.isActive() ? 1 : 0;
        }
        return active;
    }

    private final class Slot {
        private CompletableFuture<Channel> current;
        private long failedAtNanos;
        private boolean closed;

        synchronized CompletableFuture<Channel> channel() {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("client closed"));
            }
            if (current != null) {
                if (!current.isDone()) {
                    return current; // connect in progress: share it
                }
                if (!current.isCompletedExceptionally()) {
                    if (current.join().isActive()) {
                        return current;
                    }
                } else if (clock.monotonicNanos() - failedAtNanos < reconnectBackoffNanos) {
                    return current;
                }
            }
            CompletableFuture<Channel> connecting = new CompletableFuture<>();
            current = connecting;
            bootstrap.connect(peer).addListener(connect -> {
                if (connect.isSuccess()) {
                    connecting.complete(((ChannelFuture) connect).channel());
                } else {
                    synchronized (this) {
                        failedAtNanos = clock.monotonicNanos();
                    }
                    connecting.completeExceptionally(connect.cause());
                }
            });
            return connecting;
        }

        synchronized boolean isActive() {
            return current != null && current.isDone() && !current.isCompletedExceptionally()
                    && current.join().isActive();
        }

        synchronized void close() {
            closed = true;
            if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
                current.join().close();
            }
        }
    }
}
