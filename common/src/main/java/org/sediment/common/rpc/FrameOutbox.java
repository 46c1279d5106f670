package org.sediment.common.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection's outgoing frames, written from any thread and flushed together.
 *
 * <p>{@code writeAndFlush} from outside the event loop costs a task and a system call per frame.
 * Replies complete in bursts (a whole Paxos batch at once) and many clients send at once, so
 * frames queue here and one event-loop task writes every frame queued by the time it runs, then
 * flushes once: one task and one system call per burst. Frames sent on the event loop itself
 * are written at once, behind any still queued.
 */
final class FrameOutbox {
    private static final AttributeKey<FrameOutbox> KEY = AttributeKey.valueOf(FrameOutbox.class.getName());

    private record Pending(Object frame, ChannelPromise promise) {
    }

    private final Channel channel;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    private FrameOutbox(Channel channel) {
        this.channel = channel;
    }

    /** Queues {@code frame} on {@code channel}; the future completes when it is written (or fails). */
    static ChannelFuture send(Channel channel, Object frame) {
        FrameOutbox outbox = channel.attr(KEY).get();
        if (outbox == null) {
            FrameOutbox created = new FrameOutbox(channel);
            outbox = channel.attr(KEY).setIfAbsent(created);
            if (outbox == null) {
                outbox = created;
            }
        }
        return outbox.send(frame);
    }

    private ChannelFuture send(Object frame) {
        ChannelPromise promise = channel.newPromise();
        queue.add(new Pending(frame, promise));
        if (channel.eventLoop().inEventLoop()) {
            drain(); // already on the loop: write now, behind anything queued before
        } else if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                // The event loop is gone, so is the connection: fail what waits.
                drainScheduled.set(false);
                failQueued(e);
            }
        }
        return promise;
    }

    private void drain() {
        // Cleared first: a frame queued from now on schedules another drain, so none is stranded.
        drainScheduled.set(false);
        Pending next;
        boolean wrote = false;
        while ((next = queue.poll()) != null) {
            channel.write(next.frame(), next.promise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void failQueued(Throwable cause) {
        Pending next;
        while ((next = queue.poll()) != null) {
            next.promise().tryFailure(cause);
        }
    }
}
