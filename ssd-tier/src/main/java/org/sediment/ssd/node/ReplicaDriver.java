package org.sediment.ssd.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.sediment.ssd.log.GroupCommitLog;
import org.sediment.ssd.node.wire.LogRecordCodec;
import org.sediment.ssd.paxos.ClientReply;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.Output;
import org.sediment.ssd.paxos.PaxosMessage;
import org.sediment.ssd.paxos.PaxosReplica;
import org.sediment.ssd.paxos.StorageWrite;

/**
 * The one thread that owns a node's {@link PaxosReplica}. Everything that reaches the core
 * (requests, peer messages, ticks, log durability) becomes an event on a bounded inbox; the
 * thread drains the inbox in batches and carries out each {@link Output}: storage writes go to
 * the group-commit log in order (write {@code n} of the core is log record {@code logBase + n}),
 * replies complete their futures, and the messages of a whole batch leave together, grouped per
 * peer. So a busy node pays one peer RPC per peer per batch, not one per message.
 *
 * <p>Durability and ticks do not queue: the log's flusher and the tick timer only raise a flag
 * and nudge the inbox, so a full inbox can never block the flusher the core is waiting on.
 *
 * <p>Every request has a deadline ({@code requestTimeoutMs}); at each tick the core fails the
 * overdue ones with a {@link TimeoutException}. Requests wait in submission order, so this
 * looks only at the oldest, and no timer is armed per request.
 */
final class ReplicaDriver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ReplicaDriver.class.getName());
    private static final Runnable WAKE = () -> { };
    private static final int DRAIN_MAX = 1024;
    private static final int SCRATCH_KEEP_BYTES = 64 * 1024;

    private final PaxosReplica replica;
    private final LsmAppliedState applied;
    /** Where the core encodes its log records (core thread only). */
    private final ByteBuf encodeScratch = Unpooled.buffer(SCRATCH_KEEP_BYTES);
    private final GroupCommitLog log;
    private final long logBase;
    private final DurableState durable;
    private final Consumer<List<PaxosMessage>> peers;
    private final BlockingQueue<Runnable> inbox;
    private final Thread thread;
    private final AtomicLong durableLogSeq = new AtomicLong();
    private final AtomicBoolean tickDue = new AtomicBoolean();
    /** Requests the core has not answered, oldest first. */
    private final LinkedHashMap<Long, Waiting> waiting = new LinkedHashMap<>();
    private final long requestTimeoutNanos;
    /** (log seq, timeline, version) of applied records not yet durable, in log order. */
    private final ArrayDeque<long[]> appliedNotDurable = new ArrayDeque<>();
    private final List<PaxosMessage> outgoing = new ArrayList<>();
    private final AtomicLong eventsProcessed = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean voting;
    private volatile boolean heldAcceptedValue;
    private volatile boolean awaitingRejoinCheck;
    private volatile long refusedMessages;
    private volatile int timelinesKept;
    private volatile Throwable failure;
    private long nextRequestId;
    private long lastLogSeq;
    private long handledDurableSeq;

    private record Waiting(CompletableFuture<OpOutcome> future, long deadlineNanos) {
    }

    ReplicaDriver(PaxosReplica replica, LsmAppliedState applied, GroupCommitLog log, long logBase,
                  DurableState durable, Consumer<List<PaxosMessage>> peers, int inboxCapacity, long requestTimeoutMs,
                  String name) {
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        this.replica = replica;
        this.applied = applied;
        this.log = log;
        this.logBase = logBase;
        this.lastLogSeq = logBase;
        this.handledDurableSeq = logBase;
        this.durableLogSeq.set(logBase);
        this.durable = durable;
        this.peers = peers;
        this.voting = replica.isVoting();
        this.heldAcceptedValue = replica.heldAcceptedValue();
        this.inbox = new ArrayBlockingQueue<>(inboxCapacity);
        this.thread = Thread.ofPlatform().name("paxos-core " + name).daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    // ------------------------------------------------------------ inputs (any thread)

    /**
     * Submits a write; the future completes with the core's outcome (or NotReady/Overloaded at
     * once), or fails with a {@link TimeoutException} past the deadline: the write may still apply.
     */
    CompletableFuture<OpOutcome> submitWrite(long timeline, Operation op) {
        CompletableFuture<OpOutcome> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + requestTimeoutNanos;
        enqueueOrReject(result, () -> carryOut(replica.submitWrite(register(result, deadline), timeline, op)));
        return result;
    }

    /**
     * A linearizable read barrier: completes with the timeline's version confirmed by a majority,
     * or fails with a {@link TimeoutException} past the deadline.
     */
    CompletableFuture<OpOutcome> submitRead(long timeline) {
        CompletableFuture<OpOutcome> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + requestTimeoutNanos;
        enqueueOrReject(result, () -> carryOut(replica.submitRead(register(result, deadline), timeline)));
        return result;
    }

    /**
     * Peer messages: dropped when the inbox is full, which Paxos tolerates like any lost message.
     * A learner's verify request needs every timeline the store holds: that scan runs on a thread
     * of its own, and the core answers once it is done.
     */
    boolean deliver(List<PaxosMessage> messages) {
        if (stopping) {
            return false;
        }
        List<PaxosMessage> forCore = messages;
        for (PaxosMessage m : messages) {
            if (m instanceof PaxosMessage.VerifyRequest) {
                forCore = withoutVerifyRequests(messages); // rare: only while a peer rejoins
                break;
            }
        }
        List<PaxosMessage> batch = forCore;
        return inbox.offer(() -> {
            for (PaxosMessage m : batch) {
                if (m.to() == replica.nodeIndex()) {
                    carryOut(replica.onMessage(m));
                }
            }
        });
    }

    /** Starts the store scan of each verify request on a thread of its own; returns the other messages. */
    private List<PaxosMessage> withoutVerifyRequests(List<PaxosMessage> messages) {
        List<PaxosMessage> rest = new ArrayList<>(messages.size());
        for (PaxosMessage m : messages) {
            if (m instanceof PaxosMessage.VerifyRequest v && v.to() == replica.nodeIndex()) {
                Thread.ofVirtual().name("verify-scan").start(() -> {
                    Set<Long> stored = applied.storedTimelines();
                    inbox.offer(() -> carryOut(replica.onVerifyRequest(v, stored)));
                });
            } else {
                rest.add(m);
            }
        }
        return rest;
    }

    /** Called by the log's flusher after each fsync. */
    void onLogDurable(long logSeq) {
        durableLogSeq.accumulateAndGet(logSeq, Math::max);
        inbox.offer(WAKE);
    }

    void tick() {
        tickDue.set(true);
        inbox.offer(WAKE);
    }

    /** Runs {@code task} on the core thread; for checkpoints, which need a consistent copy of the state. */
    <T> CompletableFuture<T> onCoreThread(java.util.function.Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable event = () -> result.complete(task.get());
        try {
            while (!stopping && !inbox.offer(event, 100, TimeUnit.MILLISECONDS)) {
                // a full inbox drains within a batch or two; keep trying unless stopping
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping) {
            result.completeExceptionally(new IllegalStateException("node stopping"));
        }
        return result;
    }

    // ------------------------------------------------------------ views (any thread)

    boolean isVoting() {
        return voting;
    }

    /** As of the core's last turn: {@link PaxosReplica#awaitingRejoinCheck}. */
    boolean awaitingRejoinCheck() {
        return awaitingRejoinCheck;
    }

    /** {@link PaxosReplica#passRejoinCheck}, on the core thread; the learner votes at its next tick. */
    void passRejoinCheck() {
        onCoreThread(() -> {
            replica.passRejoinCheck();
            return null;
        }).join();
    }

    /** As of the core's last turn: {@link PaxosReplica#heldAcceptedValue}. */
    boolean heldAcceptedValue() {
        return heldAcceptedValue;
    }

    /** As of the core's last turn: {@link PaxosReplica#refusedMessages}. */
    long refusedMessages() {
        return refusedMessages;
    }

    /** As of the core's last turn: {@link PaxosReplica#timelinesKept}. */
    int timelinesKept() {
        return timelinesKept;
    }

    Throwable failure() {
        return failure;
    }

    long eventsProcessed() {
        return eventsProcessed.get();
    }

    int inboxSize() {
        return inbox.size();
    }

    // ------------------------------------------------------------ core-thread state for checkpoints

    /** Log position of the last record handed to the log (core thread only). */
    long lastLogSeq() {
        return lastLogSeq;
    }

    DurableState durableState() {
        return durable;
    }

    // ------------------------------------------------------------ the core thread

    /** Registers a request's future (core thread); returns the core's request id for it. */
    private long register(CompletableFuture<OpOutcome> result, long deadlineNanos) {
        long id = ++nextRequestId;
        waiting.put(id, new Waiting(result, deadlineNanos));
        return id;
    }

    private void failOverdue() {
        long now = System.nanoTime();
        var oldest = waiting.values().iterator();
        while (oldest.hasNext()) {
            Waiting w = oldest.next();
            if (w.deadlineNanos() - now > 0) {
                return;
            }
            oldest.remove();
            w.future().completeExceptionally(new TimeoutException(
                    "no outcome within " + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos) + " ms"));
        }
    }

    private void enqueueOrReject(CompletableFuture<OpOutcome> result, Runnable event) {
        if (stopping) {
            result.complete(new OpOutcome.NotReady("node stopping"));
        } else if (!inbox.offer(event)) {
            result.complete(new OpOutcome.Overloaded(inbox.size()));
        }
    }

    private void run() {
        List<Runnable> batch = new ArrayList<>(DRAIN_MAX);
        try {
            while (!stopping) {
                Runnable first = inbox.poll(50, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, DRAIN_MAX - 1);
                    for (Runnable event : batch) {
                        event.run();
                    }
                    eventsProcessed.addAndGet(batch.size());
                    batch.clear();
                }
                // The turn's applied rows reach the store before any durable record is acted on.
                applied.flush();
                long durableSeq = durableLogSeq.get();
                if (durableSeq > handledDurableSeq) {
                    handledDurableSeq = durableSeq;
                    carryOut(replica.onDurable(durableSeq - logBase));
                    while (!appliedNotDurable.isEmpty() && appliedNotDurable.peekFirst()[0] <= durableSeq) {
                        long[] done = appliedNotDurable.pollFirst();
                        applied.versionDurable(done[1], done[2]);
                    }
                }
                if (tickDue.getAndSet(false)) {
                    carryOut(replica.tick());
                    failOverdue();
                    applied.flush();
                }
                voting = replica.isVoting();
                heldAcceptedValue = replica.heldAcceptedValue();
                awaitingRejoinCheck = replica.awaitingRejoinCheck();
                refusedMessages = replica.refusedMessages();
                timelinesKept = replica.timelinesKept();
                if (!outgoing.isEmpty()) {
                    peers.accept(List.copyOf(outgoing));
                    outgoing.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            // A failed log or store leaves the core unable to keep its promises: stop taking requests.
            failure = t;
            LOG.log(System.Logger.Level.ERROR, "paxos core stopped: " + t, t);
        } finally {
            stopping = true;
            waiting.values().forEach(w -> w.future().complete(new OpOutcome.NotReady("node stopped")));
            waiting.clear();
        }
    }

    private void carryOut(Output out) {
        for (StorageWrite write : out.writes) {
            LogRecord record = LogRecord.of(write);
            durable.absorb(record);
            long seq;
            try {
                LogRecordCodec.encodeInto(record, encodeScratch);
                seq = log.append(encodeScratch.array(), encodeScratch.arrayOffset() + encodeScratch.readerIndex(),
                        encodeScratch.readableBytes());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while logging", e);
            }
            if (seq != logBase + write.seq()) {
                throw new IllegalStateException("log record " + seq + " does not match core write " + write.seq()
                        + " (base " + logBase + ")");
            }
            if (encodeScratch.capacity() > SCRATCH_KEEP_BYTES) {
                encodeScratch.clear().capacity(SCRATCH_KEEP_BYTES); // a snapshot's record: do not keep its size
            }
            lastLogSeq = seq;
            if (record instanceof LogRecord.Applied a) {
                appliedNotDurable.addLast(new long[] {seq, a.update().timeline(), a.update().version()});
            }
        }
        outgoing.addAll(out.messages);
        for (ClientReply reply : out.replies) {
            Waiting w = waiting.remove(reply.requestId());
            if (w != null) {
                w.future().complete(reply.outcome());
            }
        }
    }

    /** Stops the thread; pending requests complete NotReady. Does not touch the log. */
    @Override
    public void close() {
        stopping = true;
        inbox.offer(WAKE);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
