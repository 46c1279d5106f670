package org.sediment.ssd.paxos.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.sediment.common.block.ColdLink;
import org.sediment.common.time.RandomSource;
import org.sediment.ssd.node.OffHeapTailValues;
import org.sediment.ssd.paxos.Ballot;
import org.sediment.ssd.paxos.ClientReply;
import org.sediment.ssd.paxos.HeapTailValues;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.Output;
import org.sediment.ssd.paxos.PaxosConfig;
import org.sediment.ssd.paxos.PaxosMessage;
import org.sediment.ssd.paxos.PaxosReplica;
import org.sediment.ssd.paxos.Proposal;
import org.sediment.ssd.paxos.RecoveredState;
import org.sediment.ssd.paxos.StorageWrite;
import org.sediment.ssd.paxos.TailValues;

/**
 * A deterministic simulation of one 3-replica group and many concurrent clients, on one thread,
 * in virtual milliseconds, driven by one {@code long} seed. Faults: message loss, duplication,
 * delay and reordering, partitions (also one-way), crashes that lose non-durable writes, disk
 * loss (restart empty, learner-only), and per-replica tick skew. After the workload the faults
 * stop, the group heals, and the run checks convergence and linearizability.
 */
public final class Simulation {

    private record Event(long timeMs, long seq, Runnable action) {
    }

    private static final class Node {
        final int index;
        final SimDisk disk;
        PaxosReplica replica;
        /** The log position before this incarnation's first write: core write n is record logBase + n. */
        long logBase;
        int incarnation;
        int tickPeriodMs = 1;
        long diskBusyUntilMs;
        long restartAtMs = -1;

        Node(int index, RandomSource random) {
            this.index = index;
            this.disk = new SimDisk(random);
        }
    }

    private final class Client {
        final int id;
        int opsLeft;
        int replicaOffset;
        long requestId = -1;
        HistoryOp current;
        int attempts;
        /** An earlier attempt of the current write may have taken effect (it timed out or was contended). */
        boolean mayHaveApplied;
        final Map<Long, Long> lastSeenVersion = new HashMap<>();

        Client(int id, int ops) {
            this.id = id;
            this.opsLeft = ops;
        }
    }

    static final int GROUP = 3;
    /** Attempts a client makes at one write before it gives up (the answer stays unknown). */
    static final int MAX_ATTEMPTS = 3;

    private final long seed;
    private final SimSettings settings;
    private final RandomSource random;
    private final FaultPlan faults;
    /**
     * Every other seed runs with tiny tails and 1 KiB snapshot parts, so forgotten entries and
     * snapshots in several parts meet the faults (about 4,000 multi-part installs over the
     * default run's seeds, counted once with a print).
     */
    private final PaxosConfig config;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.timeMs != b.timeMs
            ? Long.compare(a.timeMs, b.timeMs) : Long.compare(a.seq, b.seq));
    private final Node[] nodes = new Node[GROUP];
    private final boolean[][] blocked = new boolean[GROUP][GROUP];
    private final List<Client> clients = new ArrayList<>();
    private final Map<Long, Client> waitingByRequest = new HashMap<>();
    private final List<HistoryOp> history = new ArrayList<>();
    private final ChosenOracle oracle = new ChosenOracle();
    private long nowMs;
    private long eventSeq;
    /** Logical time of invocations and replies: a strict total order, finer than milliseconds. */
    private long historyClock;
    private long nextRequestId;
    private long nextOpId;
    private boolean faultsActive;
    private boolean healed;
    private final SimStats stats = new SimStats();
    private String coreFailure;

    public Simulation(long seed, SimSettings settings) {
        this.seed = seed;
        this.settings = settings;
        this.random = RandomSource.seeded(seed);
        FaultPlan drawn = settings.faults() ? FaultPlan.draw(random.split()) : FaultPlan.none();
        this.faults = settings.plant() == null ? drawn : switch (settings.plant()) {
            // Bugs that show at restarts get frequent crashes; those in the durability window, crashes aimed at it.
            case FORGET_PROMISES_ON_RESTART, SKIP_RECOVERY_REPLAY -> drawn.crashHeavy();
            case PREPARE_REPLY_BEFORE_DURABLE, ACCEPT_REPLY_BEFORE_DURABLE -> drawn.durabilityWindows();
            case FENCE_FROM_PEERS_COMMITTED, VOTE_BEFORE_RELEARNED -> drawn.rejoinHeavy();
            default -> drawn;
        };
        this.faultsActive = settings.faults();
        // Odd seeds also keep the core state of only 4 idle timelines of the 16: forgetting and
        // relearning timelines happens all the time.
        this.config = seed % 2 == 0 ? PaxosConfig.defaults()
                : PaxosConfig.defaults().withTailBytesMax(4_096).withSnapshotPartBytes(1_024).withTimelinesKeptMax(4);
    }

    public SimResult run() {
        for (int i = 0; i < GROUP; i++) {
            nodes[i] = new Node(i, random.split());
            nodes[i].disk.bugForgetPromisesOnRestart = settings.planted(SimSettings.Plant.FORGET_PROMISES_ON_RESTART);
            nodes[i].disk.bugSkipReplay = settings.planted(SimSettings.Plant.SKIP_RECOVERY_REPLAY);
            start(nodes[i], nodes[i].disk.recover());
            scheduleCheckpoint(nodes[i], nodes[i].incarnation);
        }
        int perClient = settings.clientOps() / settings.clients();
        for (int c = 0; c < settings.clients(); c++) {
            Client client = new Client(c, perClient + (c < settings.clientOps() % settings.clients() ? 1 : 0));
            clients.add(client);
            at(random.nextInt(5), () -> nextOperation(client));
        }
        if (faultsActive) {
            at(FaultPlan.STEP_MS, this::faultStep);
        }
        List<String> violations = new ArrayList<>();
        try {
            loop();
            heal();
            Map<Long, Long> finalVersions = converge();
            if (oracle.violation() != null) {
                violations.add(oracle.violation());
            }
            if (finalVersions == null) {
                violations.add("replicas did not converge within the heal period: " + describeNodes());
            } else {
                Map<Long, List<Item>> finalItems = new HashMap<>();
                for (long t : finalVersions.keySet()) {
                    finalItems.put(t, nodes[0].replica.appliedState().snapshot(t).items());
                }
                LinearizabilityChecker checker = new LinearizabilityChecker().withFinalItems(finalItems);
                violations.addAll(checker.check(history, oracle, finalVersions, config.readLimitItems()));
                stats.retriesAbsorbed = checker.repeatsAbsorbed();
                stats.duplicates = checker.duplicates();
            }
        } catch (AssertionError | RuntimeException e) {
            coreFailure = e.toString();
            violations.add("core invariant failed at " + nowMs + " ms: " + e);
        }
        if (oracle.violation() != null && !violations.contains(oracle.violation())) {
            violations.add(0, oracle.violation());
        }
        for (Node n : nodes) {
            stats.recoveries += n.disk.recoveries;
            stats.recordsLostInCrashes += n.disk.recordsLostInCrashes;
        }
        return new SimResult(seed, settings, violations, stats, history.size(), nowMs, faults);
    }

    // ------------------------------------------------------------------ event loop

    private void at(long delayMs, Runnable action) {
        events.add(new Event(nowMs + delayMs, eventSeq++, action));
    }

    private void loop() {
        while (!events.isEmpty() && !(allClientsDone() && !healed)) {
            runOne();
        }
    }

    private void runOne() {
        Event e = events.poll();
        nowMs = e.timeMs;
        e.action.run();
        if (oracle.violation() != null) {
            throw new IllegalStateException(oracle.violation());
        }
    }

    private boolean allClientsDone() {
        for (Client c : clients) {
            if (c.opsLeft > 0 || c.current != null) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ replicas

    private void start(Node node, RecoveredState recovered) {
        node.incarnation++;
        // Odd seeds run small tails (see the constructor): they keep them off-heap, so the ring
        // wraps and forgets all the time; even seeds keep them on the heap.
        TailValues tails = seed % 2 == 0 ? new HeapTailValues() : new OffHeapTailValues(config.tailBytesMax());
        node.replica = new PaxosReplica(node.index, config, random.split(), recovered, tails);
        node.logBase = node.disk.logEnd();
        if (settings.plant() != null && settings.plant().inCore != null) {
            node.replica.plant(settings.plant().inCore);
        }
        node.restartAtMs = -1;
        scheduleTick(node, node.incarnation);
    }

    private void scheduleTick(Node node, int incarnation) {
        at(node.tickPeriodMs, () -> {
            if (node.replica != null && node.incarnation == incarnation) {
                absorb(node, node.replica.tick());
                scheduleTick(node, incarnation);
            }
        });
    }

    /** Checkpoints at random intervals, as the node's timer does, so crashes meet logs of every length. */
    private void scheduleCheckpoint(Node node, int incarnation) {
        at(10 + random.nextInt(90), () -> {
            if (node.incarnation != incarnation) {
                return;
            }
            if (node.replica != null) {
                node.disk.checkpoint();
                stats.checkpoints++;
            }
            scheduleCheckpoint(node, incarnation);
        });
    }

    private void absorb(Node node, Output out) {
        int incarnation = node.incarnation;
        for (StorageWrite w : out.writes) {
            long logSeq = node.disk.write(w);
            if (logSeq != node.logBase + w.seq()) {
                throw new IllegalStateException("log record " + logSeq + " does not match core write " + w.seq());
            }
            if (w instanceof StorageWrite.ApplyChosen a) {
                oracle.applied(node.index, a.timeline(), a.entry(), a.value());
            }
            // Group commit: writes finish in order, each after the previous one; a stalling disk
            // holds every write behind the stalled one.
            long latency = random.nextInt(3);
            if (random.chance(faults.diskStallRate())) {
                latency += 10 + random.nextInt(150);
                stats.diskStalls++;
            }
            long doneAt = Math.max(nowMs, node.diskBusyUntilMs) + latency;
            node.diskBusyUntilMs = doneAt;
            at(doneAt - nowMs, () -> {
                if (node.replica != null && node.incarnation == incarnation && node.disk.sync(logSeq)) {
                    absorb(node, node.replica.onDurable(logSeq - node.logBase));
                }
            });
        }
        if (faultsActive && !out.messages.isEmpty() && random.chance(faults.midOutputCrashRate())
                && tellsAChoice(out) && othersUpAndVoting(node)) {
            // The process dies after deciding but before its messages leave: peers that accepted
            // the value never hear it was chosen. Its writes take their chances like any crash's.
            stats.midOutputCrashes++;
            crash(node, random.chance(faults.diskLossShare()));
            return;
        }
        for (PaxosMessage m : out.messages) {
            send(m);
        }
        for (ClientReply r : out.replies) {
            Client c = waitingByRequest.remove(r.requestId());
            if (c != null) {
                complete(c, r.outcome());
            }
        }
    }

    private void send(PaxosMessage m) {
        stats.messages++;
        if (blocked[m.from()][m.to()] || random.chance(faults.dropRate())) {
            return;
        }
        deliverLater(m);
        if (random.chance(faults.duplicateRate())) {
            deliverLater(m);
        }
    }

    private void deliverLater(PaxosMessage m) {
        long delay = 1 + random.nextInt(faults.maxDelayMs());
        if (random.chance(faults.slowMessageRate())) {
            delay += 20 + random.nextInt(200);
        }
        at(delay, () -> {
            Node to = nodes[m.to()];
            if (to.replica != null && !blocked[m.from()][m.to()]) {
                absorb(to, to.replica.onMessage(m));
            }
        });
    }

    // ------------------------------------------------------------------ clients

    private void nextOperation(Client c) {
        if (c.opsLeft == 0) {
            return;
        }
        c.opsLeft--;
        long timeline = pickTimeline();
        Operation write = pickWrite(c, timeline);
        invoke(c, timeline, write);
    }

    private long pickTimeline() {
        // Timeline 1 is hot: half of all traffic, so batching and contention both happen.
        return random.chance(0.5) ? 1 : 1 + random.nextInt(settings.timelines());
    }

    private Operation pickWrite(Client c, long timeline) {
        double dice = random.nextDouble();
        long opId = ++nextOpId;
        long ts = 1_000 + random.nextInt(40);
        byte[] value = new byte[] {(byte) opId, (byte) (opId >> 8), (byte) c.id};
        if (dice < 0.30) {
            return null; // read
        } else if (dice < 0.62) {
            return new Operation.Append(opId, Operation.UNCONDITIONAL, ts, value);
        } else if (dice < 0.75) {
            return new Operation.Put(opId, Operation.UNCONDITIONAL, ts, random.nextInt(3), value);
        } else if (dice < 0.83) {
            return new Operation.Delete(opId, Operation.UNCONDITIONAL, ts, random.nextInt(3));
        } else if (dice < 0.995) {
            long ifVersion = c.lastSeenVersion.getOrDefault(timeline, 0L);
            return new Operation.Put(opId, ifVersion, ts, 0, value);
        } else {
            long boundary = 1_000 + random.nextInt(10);
            byte[] link = new ColdLink(1, 0, opId, 0, 100, 0, 1, 0, boundary - 1).encode();
            return new Operation.CommitColdLink(opId, Operation.UNCONDITIONAL, boundary, link);
        }
    }

    private void invoke(Client c, long timeline, Operation write) {
        HistoryOp op = new HistoryOp(timeline, write, ++historyClock);
        history.add(op);
        c.current = op;
        c.attempts = 0;
        c.mayHaveApplied = false;
        attempt(c);
    }

    /**
     * Sends the client's current operation to the next replica in the timeline's order. A write
     * that is retried keeps its operation id: the replicas' request memory makes it exactly-once.
     */
    private void attempt(Client c) {
        HistoryOp op = c.current;
        c.attempts++;
        long requestId = ++nextRequestId;
        c.requestId = requestId;
        waitingByRequest.put(requestId, c);
        Node node = nodes[(int) Math.floorMod(Ballot.mix(op.timeline) + c.replicaOffset, (long) GROUP)];
        if (node.replica != null) {
            absorb(node, op.isRead() ? node.replica.submitRead(requestId, op.timeline)
                    : node.replica.submitWrite(requestId, op.timeline, op.write));
        }
        at(settings.clientTimeoutMs(), () -> {
            if (c.requestId == requestId && c.current == op) {
                waitingByRequest.remove(requestId);
                stats.clientTimeouts++;
                c.replicaOffset++;
                c.mayHaveApplied = true;
                if (retry(c)) {
                    return;
                }
                c.current = null;
                at(1, () -> nextOperation(c));
            }
        });
    }

    /** Retries the current write on the next replica if it has attempts left. */
    private boolean retry(Client c) {
        if (c.current.isRead() || c.attempts >= MAX_ATTEMPTS) {
            return false;
        }
        stats.clientRetries++;
        c.requestId = -1;
        at(1 + random.nextInt(5), () -> attempt(c));
        return true;
    }

    private void complete(Client c, OpOutcome outcome) {
        HistoryOp op = c.current;
        boolean indeterminate = outcome instanceof OpOutcome.Contended;
        if (!op.isRead() && (indeterminate || outcome.certainlyNotApplied())) {
            c.replicaOffset++; // try the next replica in the timeline's order
            c.mayHaveApplied |= indeterminate;
            if (retry(c)) {
                return;
            }
            if (c.mayHaveApplied && outcome.certainlyNotApplied()) {
                outcome = null; // refused now, but an earlier attempt may have taken effect
            }
        }
        if (outcome != null) {
            op.endMs = ++historyClock; // an unknown answer leaves the write pending for ever
        }
        op.outcome = outcome;
        c.current = null;
        c.requestId = -1;
        if (outcome == null) {
            stats.writesContended++;
        } else {
            stats.count(op.isRead(), outcome);
        }
        switch (outcome) {
            case OpOutcome.Appended a -> c.lastSeenVersion.put(op.timeline, a.version());
            case OpOutcome.Written w -> c.lastSeenVersion.put(op.timeline, w.version());
            case OpOutcome.VersionMismatch m -> c.lastSeenVersion.put(op.timeline, m.version());
            case OpOutcome.ReadDone r -> c.lastSeenVersion.put(op.timeline, r.version());
            case null, default -> c.replicaOffset++;
        }
        at(random.nextInt(3), () -> nextOperation(c));
    }

    // ------------------------------------------------------------------ faults

    private void faultStep() {
        if (!faultsActive) {
            return;
        }
        if (random.chance(faults.forgeryRate())) {
            forge();
        }
        if (random.chance(faults.partitionRate())) {
            partition();
        } else if (random.chance(faults.partitionRate() * 2)) {
            clearPartitions();
        }
        if (random.chance(faults.crashRate())) {
            crashSomeone();
        }
        if (random.chance(faults.skewRate())) {
            nodes[random.nextInt(GROUP)].tickPeriodMs = 1 + random.nextInt(3);
        }
        at(FaultPlan.STEP_MS, this::faultStep);
    }

    /**
     * A peer message no honest replica sends: a finish request or a vote far past the log, a
     * value the state machine cannot apply, a learned value far ahead. They must change nothing:
     * forged values carry {@link ChosenOracle#FORGED_RUN_ID} and may never be applied, and a
     * finish request past every known entry must not make the group decide no-ops without end
     * (the run would not converge).
     */
    private void forge() {
        Node to = nodes[random.nextInt(GROUP)];
        if (to.replica == null) {
            return;
        }
        int from = (to.index + 1 + random.nextInt(GROUP - 1)) % GROUP;
        long timeline = pickTimeline();
        long committed = to.replica.committed(timeline);
        long far = committed + (1L << (20 + random.nextInt(30)));
        Operation bad = new Operation.CommitColdLink(1L << 62, Operation.UNCONDITIONAL, 1_000, new byte[] {1, 2, 3});
        Operation good = new Operation.Delete(1L << 61, Operation.UNCONDITIONAL, 1_000, 0);
        Proposal forgedBad = new Proposal(from, ChosenOracle.FORGED_RUN_ID, 1, List.of(bad));
        Proposal forgedGood = new Proposal(from, ChosenOracle.FORGED_RUN_ID, 2, List.of(good));
        long ballot = Ballot.of(1L << 40, Ballot.rankOf(timeline, from, GROUP));
        PaxosMessage m = switch (random.nextInt(5)) {
            case 0 -> new PaxosMessage.FinishRequest(timeline, from, to.index, committed, far);
            case 1 -> new PaxosMessage.Learn(timeline, from, to.index, committed, committed + 1, forgedBad);
            case 2 -> new PaxosMessage.Learn(timeline, from, to.index, committed, far, forgedGood);
            case 3 -> new PaxosMessage.Accept(timeline, from, to.index, committed, committed + 1, ballot, forgedBad);
            default -> new PaxosMessage.Accept(timeline, from, to.index, committed, far, ballot, forgedGood);
        };
        stats.forgeries++;
        absorb(to, to.replica.onMessage(m));
    }

    private void partition() {
        clearPartitions();
        int a = random.nextInt(GROUP);
        if (random.chance(faults.oneWayShare())) {
            int b = (a + 1 + random.nextInt(GROUP - 1)) % GROUP;
            blocked[a][b] = true;
            stats.partitions++;
        } else {
            for (int b = 0; b < GROUP; b++) {
                if (b != a) {
                    blocked[a][b] = true;
                    blocked[b][a] = true;
                }
            }
            stats.partitions++;
        }
    }

    private void clearPartitions() {
        for (boolean[] row : blocked) {
            java.util.Arrays.fill(row, false);
        }
    }

    private static boolean tellsAChoice(Output out) {
        for (PaxosMessage m : out.messages) {
            if (m instanceof PaxosMessage.Learn || m instanceof PaxosMessage.LearnAccepted) {
                return true;
            }
        }
        return false;
    }

    private boolean othersUpAndVoting(Node node) {
        for (Node n : nodes) {
            if (n.replica == null || !n.replica.isVoting()) {
                return false; // one replica down or relearning at a time keeps a majority alive
            }
        }
        return node.replica != null;
    }

    private void crashSomeone() {
        for (Node n : nodes) {
            if (n.replica == null || !n.replica.isVoting()) {
                return; // one replica down or relearning at a time keeps a majority alive
            }
        }
        Node victim = nodes[random.nextInt(GROUP)];
        if (random.chance(faults.aimAtUnsyncedShare())) {
            // Aim at a durability window: a replica with writes it has not synced yet.
            for (Node n : nodes) {
                if (n.disk.logEnd() > n.disk.syncedLogSeq()) {
                    victim = n;
                    stats.aimedCrashes++;
                    break;
                }
            }
        }
        crash(victim, random.chance(faults.diskLossShare()));
    }

    private void crash(Node victim, boolean loseDisk) {
        victim.replica = null;
        victim.incarnation++;
        victim.disk.crash();
        if (loseDisk) {
            victim.disk.wipe();
            stats.diskLosses++;
        }
        stats.crashes++;
        long downMs = 20 + random.nextInt(500);
        victim.restartAtMs = nowMs + downMs;
        at(downMs, () -> {
            if (victim.replica == null) {
                restart(victim);
            }
        });
    }

    private void restart(Node node) {
        start(node, node.disk.recover());
        scheduleCheckpoint(node, node.incarnation);
        if (faultsActive && !node.replica.isVoting() && random.chance(faults.secondFaultShare())) {
            // A second fault while this learner rejoins: crash it again once it has relearned a little.
            int incarnation = node.incarnation;
            at(5 + random.nextInt(60), () -> {
                if (faultsActive && node.replica != null && node.incarnation == incarnation && !node.replica.isVoting()) {
                    stats.secondFaults++;
                    crash(node, random.chance(0.5));
                }
            });
        }
    }

    // ------------------------------------------------------------------ heal and converge

    private void heal() {
        faultsActive = false;
        healed = true;
        clearPartitions();
        for (Node n : nodes) {
            n.tickPeriodMs = 1;
            if (n.replica == null) {
                restart(n);
            }
        }
    }

    /** Runs until every replica votes and all hold identical state; null if that never happens. */
    private Map<Long, Long> converge() {
        long deadline = nowMs + 60_000;
        while (nowMs < deadline) {
            for (long t = 1; t <= settings.timelines(); t++) {
                for (Node n : nodes) {
                    long requestId = ++nextRequestId;
                    absorb(n, n.replica.submitRead(requestId, t));
                }
            }
            long until = nowMs + 50;
            while (!events.isEmpty() && events.peek().timeMs <= until) {
                runOne();
            }
            Map<Long, Long> versions = convergedVersions();
            if (versions != null) {
                return versions;
            }
        }
        return null;
    }

    private Map<Long, Long> convergedVersions() {
        Map<Long, Long> versions = new HashMap<>();
        for (Node n : nodes) {
            if (n.replica == null || !n.replica.isVoting()) {
                return null;
            }
        }
        for (long t = 1; t <= settings.timelines(); t++) {
            var first = nodes[0].replica.appliedState().snapshot(t);
            for (Node n : nodes) {
                var other = n.replica.appliedState().snapshot(t);
                if (other.version() != first.version() || !other.items().equals(first.items())) {
                    return null;
                }
                if (n.replica.maxKnownEntry(t) > other.version()) {
                    return null; // an accepted entry is still pending: it may yet be chosen
                }
            }
            versions.put(t, first.version());
        }
        return versions;
    }

    private String describeNodes() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append("node ").append(n.index).append(n.replica == null ? " down" :
                    (n.replica.isVoting() ? " voting" : " learner"));
            if (n.replica != null) {
                for (long t = 1; t <= settings.timelines(); t++) {
                    sb.append(" tl").append(t).append('=').append(n.replica.committed(t));
                }
            }
            sb.append("; ");
        }
        return sb.toString();
    }
}
