package org.sediment.ssd.paxos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.sediment.common.time.RandomSource;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * One replica of a leaderless Paxos group: every timeline has its own log, and this object holds
 * this replica's acceptor, proposer, learner and strong-read state for all of them.
 *
 * <p>A pure state machine: the only inputs are {@link #onMessage}, {@link #submitWrite},
 * {@link #submitRead}, {@link #tick} and {@link #onDurable}; each returns an {@link Output}. It
 * never reads a clock, starts a thread or touches a file, and its randomness (backoff jitter,
 * run id) comes from the injected {@link RandomSource}. Not thread-safe: one owner drives it.
 *
 * <p>Durability contract: writes carry increasing sequence numbers and are reported durable as a
 * prefix; any message issued after a write is held here until that write is durable, so a
 * promise or accept never leaves before its record is on disk. See PAXOS.md.
 */
public final class PaxosReplica {

    /** An entry kept in some timeline's tail, in the order tails grew (and {@link #tailValues} kept them). */
    private record TailEntry(TimelineLog log, long entry) {
    }

    private final int nodeIndex;
    private final PaxosConfig config;
    private final RandomSource random;
    private final long runId;
    private final AppliedState applied;
    private final Map<Long, TimelineLog> logs = new HashMap<>();
    /**
     * Timelines touched since they were last idle at a tick: the only ones a tick visits, so a
     * tick costs the busy timelines, not all timelines ever seen. Any input that can give a
     * timeline work reaches it through {@link #log(long)}, which puts it here.
     */
    private final Set<TimelineLog> ticking = new LinkedHashSet<>();
    /** Timelines that went idle, least recently first: what {@link #forgetIdleTimelines} looks at. */
    private final Set<TimelineLog> resting = new LinkedHashSet<>();
    private long forgottenTimelines;
    /** Every timeline's tail entries, oldest first: forgotten from the front past the budget. */
    private final ArrayDeque<TailEntry> tails = new ArrayDeque<>();
    private final TailValues tailValues;
    private final ArrayDeque<PaxosMessage> selfInbox = new ArrayDeque<>();
    private boolean voting;
    private VotingFence fence;
    /** Present while this replica is a learner relearning its state. */
    private LearnerRejoin rejoin;
    private final Acceptor acceptor = new Acceptor(this);
    private final CatchUp catchUp = new CatchUp(this);
    private final DurabilityGate gate;
    private long nextBallotCounter;
    private long ballotCounterReservedUpTo;
    private long currentTick;
    /** Peer messages refused for what they carry (see {@link #refusedMessages}). */
    private long refusedMessages;
    private String lastRefusal;
    private long nextProbeId;
    private Output out = new Output();
    /** Test-only fault switches: see {@link #plant}. */
    private final EnumSet<PlantedBug> planted = EnumSet.noneOf(PlantedBug.class);

    public PaxosReplica(int nodeIndex, PaxosConfig config, RandomSource random, RecoveredState recovered) {
        this(nodeIndex, config, random, recovered, new HeapTailValues());
    }

    /** A replica keeping its catch-up tails' values in {@code tailValues}, which starts empty. */
    public PaxosReplica(int nodeIndex, PaxosConfig config, RandomSource random, RecoveredState recovered,
            TailValues tailValues) {
        if (nodeIndex < 0 || nodeIndex >= config.groupSize()) {
            throw new IllegalArgumentException("node index " + nodeIndex + " outside group of " + config.groupSize());
        }
        this.nodeIndex = nodeIndex;
        this.config = config;
        this.random = random;
        this.runId = random.nextLong();
        this.applied = recovered.applied();
        this.tailValues = tailValues;
        this.gate = new DurabilityGate(planted);
        this.voting = recovered.voting();
        this.fence = recovered.fence();
        this.ballotCounterReservedUpTo = recovered.ballotCounterReservedUpTo();
        // Counters up to the reservation may have been used before the restart: never reuse one.
        this.nextBallotCounter = recovered.ballotCounterReservedUpTo() + 1;
        recovered.acceptorRecords().forEach((timeline, records) -> {
            long committed = applied.version(timeline);
            records.forEach((entry, record) -> {
                if (entry > committed) {
                    log(timeline).records.put(entry, record);
                    acceptor.recovered(record);
                }
            });
        });
        if (!voting) {
            rejoin = new LearnerRejoin(this, runId);
        }
    }

    // ---------------------------------------------------------------- inputs

    public Output onMessage(PaxosMessage m) {
        assert m.to() == nodeIndex : "message for " + m.to() + " delivered to " + nodeIndex;
        handle(m);
        return finish();
    }

    public Output submitWrite(long requestId, long timeline, Operation op) {
        String invalid = TimelineMachine.invalidReason(op);
        if (invalid != null) {
            reply(requestId, timeline, new OpOutcome.Invalid(invalid)); // never proposed: nothing to decide
        } else if (!voting) {
            reply(requestId, timeline, new OpOutcome.NotReady("learner-only: recovering lost state"));
        } else if (!log(timeline).proposer.submit(requestId, op)) {
            reply(requestId, timeline, new OpOutcome.Overloaded(log(timeline).proposer.queuedOps()));
        }
        return finish();
    }

    public Output submitRead(long requestId, long timeline) {
        if (!voting) {
            reply(requestId, timeline, new OpOutcome.NotReady("learner-only: recovering lost state"));
        } else {
            log(timeline).reads.submit(requestId);
        }
        return finish();
    }

    /**
     * A learner's verify request, answered with {@code storedTimelines}, which the shell listed off
     * the core's thread (a scan of the whole store), plus every timeline this core has seen.
     */
    public Output onVerifyRequest(PaxosMessage.VerifyRequest v, Set<Long> storedTimelines) {
        assert v.to() == nodeIndex : "message for " + v.to() + " delivered to " + nodeIndex;
        send(LearnerRejoin.answer(this, v, storedTimelines));
        return finish();
    }

    public Output tick() {
        currentTick++;
        if (rejoin != null) {
            rejoin.onTick();
        }
        for (TimelineLog log : new ArrayList<>(ticking)) {
            log.proposer.onTick();
            log.reads.onTick();
            if (log.proposer.idle() && log.reads.idle()) {
                ticking.remove(log);
                if (committed(log) == 0 && log.catchUpRetryAtTick <= currentTick) {
                    forgetIfEmpty(log); // a timeline that does not exist here leaves nothing behind
                } else {
                    resting.add(log);
                }
            }
        }
        forgetIdleTimelines();
        return finish();
    }

    /**
     * Forgets the core state of idle timelines that hold nothing it must keep (a promise, an
     * accepted or learned value): at once for a timeline with no applied entry (a read or message
     * about a timeline that does not exist leaves nothing behind), else the least recently idle
     * ones past {@link PaxosConfig#timelinesKeptMax}. What is forgotten is a cache of the applied
     * state (the version), catch-up tails (a peer then gets a snapshot) and a fast-accept right
     * (the next write prepares): nothing safety rests on.
     */
    private void forgetIdleTimelines() {
        var oldest = resting.iterator();
        while (logs.size() > config.timelinesKeptMax() && oldest.hasNext()) {
            TimelineLog log = oldest.next();
            oldest.remove(); // one that must stay comes back here when it is next used
            forgetIfEmpty(log);
        }
    }

    /** Forgets an idle timeline's core state unless it holds values or waits for a catch-up it asked for. */
    private void forgetIfEmpty(TimelineLog log) {
        if (log.records.isEmpty() && log.chosenAhead.isEmpty() && log.catchUpRetryAtTick <= currentTick) {
            logs.remove(log.timeline);
            forgottenTimelines++;
        }
    }

    /** Every write with sequence number up to {@code writeSeq} is durable. */
    public Output onDurable(long writeSeq) {
        gate.onDurable(writeSeq, this::dispatch);
        return finish();
    }

    // ---------------------------------------------------------------- views

    public int nodeIndex() {
        return nodeIndex;
    }

    public boolean isVoting() {
        return voting;
    }

    /**
     * Whether this acceptor has held an accepted value since it started: with the applied
     * timelines, what tells a peer that lost its disk that the group holds data. (A value
     * accepted before a restart counts if the restart recovered it unapplied; an applied one
     * shows as an applied timeline.)
     */
    public boolean heldAcceptedValue() {
        return acceptor.heldAcceptedValue();
    }

    public long committed(long timeline) {
        TimelineLog log = logs.get(timeline);
        return log != null ? committed(log) : applied.version(timeline);
    }

    /**
     * The timeline's applied version: read from the applied state once, then kept by this core,
     * which makes every change to it (a loaded node's applied state answers through several maps,
     * and the core asks for every message).
     */
    long committed(TimelineLog log) {
        if (log.committed == TimelineLog.UNKNOWN) {
            log.committed = applied.version(log.timeline);
        }
        return log.committed;
    }

    /**
     * Peer messages refused since start for what they carried: values the state machine cannot
     * apply, entries far past this replica's log, requests to finish entries nobody knows of.
     * They change no state; a forged or broken peer shows here.
     */
    public long refusedMessages() {
        return refusedMessages;
    }

    /** The reason the last refused message was refused, or null. */
    public String lastRefusal() {
        return lastRefusal;
    }

    void refused(String why) {
        refusedMessages++;
        lastRefusal = why;
    }

    public AppliedState appliedState() {
        return applied;
    }

    /** Test-only: switches on a deliberate bug (see {@link PlantedBug}); before the first input. */
    public void plant(PlantedBug bug) {
        planted.add(bug);
    }

    boolean planted(PlantedBug bug) {
        return !planted.isEmpty() && planted.contains(bug);
    }

    int readQuorum() {
        return planted(PlantedBug.READS_WITHOUT_MAJORITY) ? 1 : config.majority();
    }

    /** Votes that choose a value: a majority. */
    int chooseQuorum() {
        return planted(PlantedBug.CHOOSE_WITHOUT_MAJORITY) ? 1 : config.majority();
    }

    // ---------------------------------------------------------------- dispatch

    private Output finish() {
        while (!selfInbox.isEmpty()) {
            handle(selfInbox.pollFirst());
        }
        Output done = out;
        out = new Output();
        return done;
    }

    private void handle(PaxosMessage m) {
        switch (m) {
            case PaxosMessage.Prepare p -> acceptor.onPrepare(p);
            case PaxosMessage.PrepareReply r -> log(r.timeline()).proposer.onPrepareReply(r);
            case PaxosMessage.Accept a -> acceptor.onAccept(a);
            case PaxosMessage.AcceptReply r -> log(r.timeline()).proposer.onAcceptReply(r);
            case PaxosMessage.Learn l -> learn(l.timeline(), l.entry(), l.value());
            case PaxosMessage.LearnAccepted l -> learnAccepted(l);
            case PaxosMessage.CatchUpRequest c -> catchUp.serve(c);
            case PaxosMessage.CatchUpReply c -> catchUp.onEntries(c);
            case PaxosMessage.SnapshotReply s -> catchUp.onSnapshotPart(s);
            case PaxosMessage.ReadProbe p -> send(new PaxosMessage.ReadProbeReply(p.timeline(), nodeIndex, p.from(),
                    committed(p.timeline()), p.probeId(), maxKnownEntry(p.timeline()), voting));
            case PaxosMessage.ReadProbeReply r -> log(r.timeline()).reads.onProbeReply(r);
            case PaxosMessage.VerifyRequest v -> send(LearnerRejoin.answer(this, v, applied.timelines()));
            case PaxosMessage.FinishRequest f -> {
                // Only entries this replica knows of, and the one after: a learner's fence is one past
                // the highest entry any peer knows, and the peer that knows it finishes it. Further
                // would have this replica decide no-ops without end.
                long upTo = Math.min(f.upToEntry(), maxKnownEntry(f.timeline()) + 1);
                if (upTo < f.upToEntry()) {
                    refused("finish up to entry " + f.upToEntry() + " of " + Long.toUnsignedString(f.timeline())
                            + ", past the entries known here");
                }
                if (voting) {
                    log(f.timeline()).proposer.requestFinish(upTo);
                }
            }
            case PaxosMessage.VerifyReply v -> {
                if (rejoin != null) {
                    rejoin.onVerifyReply(v);
                }
            }
        }
        if (m.from() != nodeIndex && !(m instanceof PaxosMessage.VerifyRequest)
                && !(m instanceof PaxosMessage.VerifyReply)) {
            catchUp.noticePeerCommitted(m.timeline(), m.from(), m.senderCommitted());
        }
    }

    // ---------------------------------------------------------------- learner

    /**
     * This replica's proposer saw a majority accept: the value is chosen. Every other replica
     * was sent the value in an accept, so it hears only the value's identity, except those in
     * {@code withoutValue} (they answered that they do not vote, so they accepted nothing).
     */
    void choose(long timeline, long entry, Proposal value, BitSet withoutValue) {
        learn(timeline, entry, value);
        long committed = committed(timeline);
        broadcast(to -> withoutValue.get(to)
                ? new PaxosMessage.Learn(timeline, nodeIndex, to, committed, entry, value)
                : new PaxosMessage.LearnAccepted(timeline, nodeIndex, to, committed, entry, value.proposer(),
                        value.runId(), value.seq()), false);
    }

    /**
     * A value chosen at an entry this replica was asked to accept. If it accepted it, whether or
     * not the proposer counted that vote, its acceptor record holds it still: a higher ballot
     * could only have re-proposed the chosen value, and records are trimmed only once applied.
     * Without the record (the accept was lost or refused, or this replica lost its disk since)
     * the message is as good as lost, and catch-up fetches the entry as for any lost
     * {@code Learn}: the message's {@code senderCommitted} already covers the entry when the
     * proposer could apply it.
     */
    private void learnAccepted(PaxosMessage.LearnAccepted l) {
        TimelineLog log = log(l.timeline());
        if (l.entry() <= committed(log)) {
            return;
        }
        Proposal accepted = log.record(l.entry()).accepted();
        if (l.names(accepted)) {
            learn(l.timeline(), l.entry(), accepted);
        }
    }

    void learn(long timeline, long entry, Proposal value) {
        if (entry > committed(timeline) + config.entriesAheadMax()) {
            return; // catch-up fetches an entry this far ahead once this replica gets near it
        }
        String invalid = TimelineMachine.invalidReason(value);
        if (invalid != null) {
            refused("learned a value that cannot apply: " + invalid); // no majority accepts one: forged or broken
            return;
        }
        TimelineLog log = log(timeline);
        if (entry <= committed(log)) {
            Proposal known = log.chosenInTail(entry);
            assert known == null || known.sameIdentity(value)
                    : "two values chosen for " + timeline + "#" + entry + ": " + known + " and " + value;
            return;
        }
        Proposal previous = log.chosenAhead.putIfAbsent(entry, value);
        assert previous == null || previous.sameIdentity(value)
                : "two values chosen for " + timeline + "#" + entry + ": " + previous + " and " + value;
        applyContiguous(log);
    }

    private void applyContiguous(TimelineLog log) {
        long t = log.timeline;
        boolean progressed = false;
        Proposal next;
        while ((next = log.chosenAhead.remove(committed(log) + 1)) != null) {
            long entry = committed(log) + 1;
            TimelineMachine.Applied result = TimelineMachine.apply(t, applied.state(t), entry, next);
            applied.write(result.update());
            assert applied.version(t) == entry : "apply did not advance the version";
            log.committed = entry;
            Proposal value = next;
            write(seq -> new StorageWrite.ApplyChosen(seq, value, result.update()));
            List<OpOutcome> outcomes = result.outcomes();
            log.trimUpTo(entry);
            keepInTail(log, entry, value);
            log.proposer.onApplied(entry, value, outcomes);
            progressed = true;
        }
        if (progressed) {
            log.reads.onApplied();
            if (rejoin != null) {
                rejoin.progress();
            }
        }
    }

    private void keepInTail(TimelineLog log, long entry, Proposal value) {
        long handle = tailValues.keep(value);
        if (handle == TailValues.NOT_KEPT) {
            log.clearTail(); // a tail has no gaps: a peer behind this entry gets a snapshot
            return;
        }
        log.appendTail(entry, handle);
        tails.addLast(new TailEntry(log, entry));
        while (tailValues.bytesKept() > config.tailBytesMax() && !tails.isEmpty()) {
            TailEntry oldest = tails.pollFirst();
            tailValues.forgetOldest();
            oldest.log().forgetOldestTail(oldest.entry());
        }
    }

    void install(TimelineSnapshot snapshot) {
        long t = snapshot.timeline();
        TimelineLog log = log(t);
        if (snapshot.version() <= committed(log)) {
            return;
        }
        TimelineUpdate update = TimelineMachine.install(snapshot);
        applied.write(update);
        log.committed = snapshot.version();
        write(seq -> new StorageWrite.InstallSnapshot(seq, update));
        log.trimUpTo(snapshot.version());
        log.clearTail();
        log.proposer.onSnapshotInstalled(snapshot.version());
        applyContiguous(log);
        log.reads.onApplied();
        if (rejoin != null) {
            rejoin.progress();
        }
    }

    // ---------------------------------------------------------------- learner-only rejoin

    /**
     * Makes this learner, once caught up, wait for {@link #passRejoinCheck} before it votes: the
     * shell checks the relearned data against the peers first. Without it (the simulator), a
     * caught-up learner votes at once. Waiting is safe however long it lasts: a learner takes part
     * in no decision, so the fence computed before still covers every vote it ever cast.
     */
    public void requireCheckBeforeRejoin() {
        if (rejoin != null) {
            rejoin.requireCheck();
        }
    }

    /** True while this learner has caught up and waits for {@link #passRejoinCheck}. */
    public boolean awaitingRejoinCheck() {
        return rejoin != null && rejoin.awaitingCheck();
    }

    /** The shell found the relearned data equal to the peers': the learner votes at its next tick. */
    public void passRejoinCheck() {
        if (rejoin != null) {
            rejoin.passCheck();
        }
    }

    void rejoin(VotingFence newFence) {
        assert !voting : "only a learner rejoins";
        fence = newFence;
        write(seq -> new StorageWrite.PersistVoting(seq, newFence));
        nextBallotCounter = Math.max(nextBallotCounter, newFence.ballotCounterFloor() + 1);
        reserveBallotCounter(nextBallotCounter);
        voting = true;
        rejoin = null;
    }

    // ---------------------------------------------------------------- helpers for the parts

    VotingFence fence() {
        return fence;
    }

    long ballotCounterReservedUpTo() {
        return ballotCounterReservedUpTo;
    }

    Collection<TimelineLog> logs() {
        return logs.values();
    }

    void requestCatchUp(long timeline, int peer) {
        catchUp.request(timeline, peer);
    }

    boolean acceptorUntouched(long timeline, long entry) {
        return acceptor.untouched(timeline, entry);
    }

    long currentTick() {
        return currentTick;
    }

    PaxosConfig config() {
        return config;
    }

    RandomSource random() {
        return random;
    }

    long runId() {
        return runId;
    }

    long nextProbeId() {
        return ++nextProbeId;
    }

    Proposer proposer(long timeline) {
        return log(timeline).proposer;
    }

    /**
     * The highest entry this replica knows anything was accepted or chosen in; above
     * {@link #committed} when an entry is pending here.
     */
    public long maxKnownEntry(long timeline) {
        long known = Math.max(committed(timeline), log(timeline).maxAcceptedOrChosenAhead());
        return Math.max(known, fence.mayHaveKnown(timeline));
    }

    OpOutcome.ReadDone readLocal(long timeline) {
        return applied.read(timeline, config.readLimitItems());
    }

    /** A fresh ballot above {@code hint} and above our own promise at {@code entry}. */
    long newBallot(long timeline, long entry, long hint) {
        long floor = Math.max(Ballot.counter(hint), Ballot.counter(log(timeline).record(entry).promised())) + 1;
        long counter = Math.max(nextBallotCounter, floor);
        nextBallotCounter = counter + 1;
        reserveBallotCounter(counter);
        return Ballot.of(counter, Ballot.rankOf(timeline, nodeIndex, config.groupSize()));
    }

    private void reserveBallotCounter(long counter) {
        if (counter > ballotCounterReservedUpTo) {
            long upTo = counter + config.ballotCounterReserveChunk();
            ballotCounterReservedUpTo = upTo;
            write(seq -> new StorageWrite.PersistBallotCounter(seq, upTo));
            gate.lastWriteReservedBallots();
        }
    }

    void reply(long requestId, long timeline, OpOutcome outcome) {
        out.replies.add(new ClientReply(requestId, timeline, outcome));
    }

    void broadcast(IntFunction<PaxosMessage> messageTo, boolean includeSelf) {
        for (int to = 0; to < config.groupSize(); to++) {
            if (includeSelf || to != nodeIndex) {
                send(messageTo.apply(to));
            }
        }
    }

    /** Sends once the writes it depends on are durable ({@link DurabilityGate}). */
    void send(PaxosMessage m) {
        gate.send(m, this::dispatch);
    }

    private void dispatch(PaxosMessage m) {
        if (m.to() == nodeIndex) {
            selfInbox.addLast(m);
        } else {
            out.messages.add(m);
        }
    }

    interface WriteFactory {
        StorageWrite make(long seq);
    }

    void write(WriteFactory factory) {
        out.writes.add(factory.make(gate.nextWriteSeq()));
    }

    TimelineLog log(long timeline) {
        TimelineLog log = logs.get(timeline);
        if (log == null) {
            log = new TimelineLog(timeline, config.logTailEntries(), tailValues);
            log.proposer = new Proposer(timeline, this);
            if (planted(PlantedBug.FAST_ACCEPT_ACROSS_RESTART)) {
                log.proposer.assumeFastRight(committed(log) + 1);
            }
            log.reads = new StrongRead(timeline, this);
            logs.put(timeline, log);
        }
        resting.remove(log);
        ticking.add(log);
        return log;
    }

    /** Timelines whose core state this replica keeps now (busy and idle). */
    public int timelinesKept() {
        return logs.size();
    }

    /** Idle timelines whose core state was forgotten since start. */
    public long forgottenTimelines() {
        return forgottenTimelines;
    }
}
