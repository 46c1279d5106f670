package org.sediment.ssd.node;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcServer;
import org.sediment.common.rpc.RpcServerConfig;
import org.sediment.common.rpc.RpcServerStats;
import org.sediment.common.time.Clock;
import org.sediment.common.time.RandomSource;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.router.config.RouteConfigWatcher;
import org.sediment.ssd.log.GroupCommitLog;
import org.sediment.ssd.node.wire.PeerMessages;
import org.sediment.ssd.paxos.PaxosReplica;
import org.sediment.ssd.paxos.RecoveredState;
import org.sediment.ssd.storage.SegmentedStore;
import org.sediment.ssd.timeline.TimelineState;
import org.sediment.ssd.timeline.TimelineUpdate;
import org.sediment.ssd.version.VersionCache;

/**
 * One SSD replica: its RPC server, Paxos core, group-commit log, segmented store and version
 * cache, with start, graceful {@link #close()} and a hard {@link #kill()} for crash tests.
 *
 * <h2>Start</h2>
 * The server binds at once (so peers' probes are answered while this node boots); the rest boots
 * on a thread of its own, see {@link #awaitReady}. A data directory holding this replica's
 * identity is recovered: the checkpointed durable state, then the log after it. One that is empty
 * or foreign (moved aside, never deleted) is formatted after asking every peer whether the group
 * holds data: if any does, this replica lost its disk and starts learner-only, relearns every
 * timeline and votes again only when the core's rejoin completes; if none does, the group is new.
 *
 * <h2>Durability</h2>
 * Every core write is a log record, fsynced by group commit before the messages that depend on it
 * leave (the core holds them). Applies go to the store without fsync; every
 * {@code checkpointMillis} the store is synced, the durable state written, and the log before
 * that point deleted.
 */
public final class SsdNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SsdNode.class.getName());

    /** What a node is doing; visible in health and metrics. */
    public enum Mode { STARTING, LEARNER, VOTING, FAILED, STOPPED }

    private final NodeConfig config;
    private final Clock clock;
    private final RpcClient client;
    private final RpcServer server;
    private final RpcServer peerServer;
    private final PeerApi peerApi;
    /** The route document followed, or null (see {@link NodeConfig#routesFile}). */
    private final RouteConfigWatcher routes;
    private final CountDownLatch booted = new CountDownLatch(1);
    private final ScheduledExecutorService timers;
    private volatile Mode mode = Mode.STARTING;
    private volatile Throwable bootFailure;
    private volatile boolean lostDiskAtStart;
    /** Whether the data directory holds this replica's state: known before that state is recovered. */
    private volatile boolean formatted;
    private volatile DigestAudit.Result digestAudit = DigestAudit.Result.NOT_RUN;
    private volatile SegmentedStore store;
    private volatile VersionCache versions;
    private volatile GroupCommitLog log;
    private volatile LsmAppliedState applied;
    private volatile ReplicaDriver driver;
    private volatile Checkpointer checkpointer;
    private volatile ColdRoutes coldRoutes;
    private volatile PeerLinks peers;
    private final Object lifecycle = new Object();
    private volatile boolean stopped;

    private SsdNode(NodeConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        // Fails here, before any thread starts, if the route document is missing or invalid.
        this.routes = config.routesFile() == null ? null
                : new RouteConfigWatcher(config.routesFile(), RouteConfigWatcher.DEFAULT_POLL);
        // Every thread of a node names its group and node ("ssd-g0n1-..."), so every log line says whose it is.
        String name = "ssd-g" + config.groupId() + "n" + config.nodeIndex();
        this.client = new RpcClient(new RpcClientConfig(1, 10_000, config.maxFrameBytes(), 1_000, 100, 1), registry(),
                name + "-peer-out");
        RpcServerConfig serverConfig = new RpcServerConfig(config.address().getHostString(), config.address().getPort(),
                config.maxFrameBytes(), 20_000, 2, 4 << 20);
        // The client port knows only the client API: a peer message there is answered UNKNOWN_TYPE.
        RpcServer.Builder builder = new ClientApi(this).register(RpcServer.builder(serverConfig,
                MessageRegistry.builder().registerAll(SsdApi.ALL).build())).threadName(name + "-client");
        if (routes != null) {
            builder.routeVersion(() -> routes.current().version());
        }
        this.server = builder.build();
        RpcServerConfig peerConfig = new RpcServerConfig(config.peerAddress().getHostString(),
                config.peerAddress().getPort(), config.maxFrameBytes(), 20_000, 2, 4 << 20);
        this.peerApi = new PeerApi(this, config.peerKey());
        this.peerServer = peerApi.register(RpcServer.builder(peerConfig,
                MessageRegistry.builder().registerAll(PeerMessages.ALL).build())).threadName(name + "-peer").build();
        this.timers = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name(name + "-timer").daemon().factory());
    }

    /** Every message type an SSD node speaks, to clients and to its peers. */
    public static MessageRegistry registry() {
        return MessageRegistry.builder().registerAll(SsdApi.ALL).registerAll(PeerMessages.ALL).build();
    }

    /** Binds the server and boots in the background; see {@link #awaitReady}. */
    public static SsdNode start(NodeConfig config) {
        return start(config, Clock.system());
    }

    public static SsdNode start(NodeConfig config, Clock clock) {
        SsdNode node = new SsdNode(config, clock);
        try {
            // Known before the first probe can arrive: a peer surveying the group must never
            // hear "no state" from a replica that has state but has not read it yet (PeerSurvey).
            NodeIdentity identity = NodeIdentity.read(config.dataDir());
            node.formatted = identity != null && identity.belongsTo(config);
            node.server.start();
            node.peerServer.start();
        } catch (RuntimeException | Error e) {
            node.booted.countDown(); // no boot will run
            node.kill();
            throw e;
        }
        Thread.ofPlatform().name("ssd-g" + config.groupId() + "n" + config.nodeIndex() + "-boot").daemon().start(node::boot);
        return node;
    }

    /** Waits until the node serves requests (voting or learner-only); throws if booting failed. */
    public SsdNode awaitReady(long timeoutMs) throws InterruptedException, TimeoutException {
        if (!booted.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("node " + config.nodeIndex() + " not ready after " + timeoutMs + " ms");
        }
        if (bootFailure != null) {
            throw new IllegalStateException("node " + config.nodeIndex() + " failed to start: " + bootFailure, bootFailure);
        }
        return this;
    }

    // ------------------------------------------------------------------ boot

    private void boot() {
        try {
            Path dir = config.dataDir();
            Files.createDirectories(dir);
            NodeIdentity identity = NodeIdentity.read(dir);
            if (identity == null || !identity.belongsTo(config)) {
                lostDiskAtStart = new NodeFormat(config, client, clock).format(dir, identity, this::isStopped);
                identity = NodeIdentity.read(dir);
            }
            formatted = true;
            recover(dir, identity);
            synchronized (lifecycle) {
                if (stopped) {
                    return;
                }
                timers.scheduleAtFixedRate(() -> driver.tick(), config.tickMillis(), config.tickMillis(), TimeUnit.MILLISECONDS);
                timers.scheduleWithFixedDelay(this::checkpointQuietly, config.checkpointMillis(), config.checkpointMillis(),
                        TimeUnit.MILLISECONDS);
                driver.start();
                mode = driver.isVoting() ? Mode.VOTING : Mode.LEARNER;
            }
            if (!driver.isVoting()) {
                Thread.ofVirtual().name("rejoin-check " + config.nodeIndex()).start(new RejoinCheck(this));
            }
            LOG.log(System.Logger.Level.INFO, "ssd node {0} of group {1} ready at {2} ({3})", config.nodeIndex(),
                    config.groupId(), server.boundAddress(), mode);
        } catch (Throwable t) {
            bootFailure = t;
            mode = Mode.FAILED;
            LOG.log(System.Logger.Level.ERROR, "ssd node " + config.nodeIndex() + " of group " + config.groupId()
                    + " failed to start", t);
        } finally {
            booted.countDown();
        }
    }

    private void recover(Path dir, NodeIdentity identity) {
        DurableStateFile.Contents checkpoint = DurableStateFile.read(dir);
        DurableState state = checkpoint.state();
        coldRoutes = ColdRoutes.open(dir);
        store = SegmentedStore.open(dir.resolve("store"), config.segments(), clock);
        // Cached versions hold for this boot of the machine and this incarnation of the directory.
        versions = VersionCache.open(config.versionCacheFile(), config.versionCacheEntries(),
                VersionCache.owner(VersionCache.currentBootId(), identity.incarnation()));
        applied = new LsmAppliedState(store, versions);
        ReplicaDriver[] driverRef = new ReplicaDriver[1];
        SegmentedStore rows = store;
        NodeRecovery recovery = new NodeRecovery(state, checkpoint.coveredLogSeq(), new NodeRecovery.Store() {
            @Override
            public long appliedIndex(long timeline) {
                return rows.appliedIndex(timeline);
            }

            @Override
            public void apply(TimelineUpdate update) {
                rows.apply(List.of(update));
            }
        });
        log = GroupCommitLog.open(dir.resolve("log"), config.log(), recovery::replay, seq -> {
            ReplicaDriver d = driverRef[0];
            if (d != null) {
                d.onLogDurable(seq);
            }
        });
        long logBase = log.durableSeq();
        RecoveredState recovered = recovery.recovered(applied);
        PaxosReplica replica = new PaxosReplica(config.nodeIndex(), config.paxos(), RandomSource.fromEntropy(), recovered,
                new OffHeapTailValues(config.paxos().tailBytesMax()));
        if (!replica.isVoting()) {
            replica.requireCheckBeforeRejoin(); // see RejoinCheck
        }
        peers = new PeerLinks(config.groupId(), config.nodeIndex(), config.peers(), config.peerKey(), client,
                config.maxFrameBytes());
        driver = new ReplicaDriver(replica, applied, log, logBase, state, peers, 100_000, config.requestTimeoutMs(),
                "g" + config.groupId() + "n" + config.nodeIndex());
        driverRef[0] = driver;
        checkpointer = new Checkpointer(config.dataDir(), driver, applied, log, store);
    }

    // ------------------------------------------------------------------ checkpoint

    private void checkpointQuietly() {
        try {
            checkpoint();
        } catch (Throwable t) {
            // A stop interrupts a checkpoint in flight; the last complete one still stands.
            if (mode != Mode.STOPPED && !stopped) {
                LOG.log(System.Logger.Level.ERROR, "ssd node " + config.nodeIndex() + " of group " + config.groupId()
                        + ": checkpoint failed", t);
            }
        }
    }

    /**
     * Syncs the store, records the durable state as of the last logged record, and deletes the
     * log files before it. Safe at any time; runs on the timer thread.
     */
    public void checkpoint() throws InterruptedException {
        Checkpointer c = checkpointer;
        if (c != null) {
            c.run();
        }
    }

    // ------------------------------------------------------------------ digest audit

    /**
     * Compares every timeline's digest with the peers' now (see {@link DigestAudit}); the result
     * also shows in {@link #health()}. A learner runs it by itself before it votes again.
     */
    public DigestAudit.Result auditDigests() throws InterruptedException {
        Mode now = mode();
        if (now != Mode.VOTING && now != Mode.LEARNER) {
            throw new IllegalStateException("node " + config.nodeIndex() + " is " + now + "; it audits once it serves");
        }
        digestAudit = DigestAudit.Result.RUNNING;
        DigestAudit.Result result = new DigestAudit(this).run();
        digestAudit = result;
        LOG.log(result.mismatched() > 0 ? System.Logger.Level.ERROR : System.Logger.Level.INFO,
                "ssd node {0} of group {1} digest audit: {2} verified, {3} mismatched, {4} unsettled",
                config.nodeIndex(), config.groupId(), result.verified(), result.mismatched(), result.unsettled());
        return result;
    }

    /** An audit's result, for {@link #health()}. */
    void recordAudit(DigestAudit.Result result) {
        digestAudit = result;
    }

    private boolean isStopped() {
        synchronized (lifecycle) {
            return stopped;
        }
    }

    // ------------------------------------------------------------------ views

    public NodeConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    public InetSocketAddress address() {
        return server.boundAddress();
    }

    /** Where this node listens to its peers. */
    public InetSocketAddress peerAddress() {
        return peerServer.boundAddress();
    }

    public Mode mode() {
        ReplicaDriver d = driver;
        if (mode == Mode.LEARNER && d != null && d.isVoting()) {
            mode = Mode.VOTING;
        }
        if (d != null && d.failure() != null && mode != Mode.STOPPED) {
            mode = Mode.FAILED;
        }
        return mode;
    }

    public NodeHealth health() {
        Mode now = mode();
        ReplicaDriver d = driver;
        GroupCommitLog l = log;
        PeerLinks p = peers;
        VersionCache v = versions;
        return new NodeHealth(config.groupId(), config.nodeIndex(), now, lostDiskAtStart,
                d == null ? 0 : d.inboxSize(), d == null ? 0 : d.eventsProcessed(),
                l == null ? 0 : l.recordsWritten(), l == null ? 0 : l.fsyncs(),
                l == null ? 0 : l.slowFsyncs(), l == null ? 0 : l.slowestFsyncMillis(),
                p == null ? 0 : p.batchesSent.sum(), p == null ? 0 : p.messagesSent.sum(),
                p == null ? 0 : p.batchesFailed.sum(), digestAudit, v == null ? 0 : v.hits(), v == null ? 0 : v.misses(),
                (d == null ? 0 : d.refusedMessages()) + peerApi.refused.sum(), d == null ? 0 : d.timelinesKept());
    }

    /** The route version this node follows; 0 when it is told no routes. */
    public long routeVersion() {
        return routes == null ? 0 : routes.current().version();
    }

    /** Bytes of the files under the data directory now (a walk: for operators, not for hot paths). */
    public long dataBytes() {
        try (java.util.stream.Stream<Path> files = Files.walk(config.dataDir())) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (java.io.IOException gone) {
                    return 0; // removed while we walked (a compaction): it no longer counts
                }
            }).sum();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    public RpcServerStats rpcStats() {
        return server.stats();
    }

    ReplicaDriver driver() {
        return driver;
    }

    RpcClient client() {
        return client;
    }

    /** Bytes the storage engine returned to page reads since the node started. */
    public long storePageBytesRead() {
        SegmentedStore s = store;
        return s == null ? 0 : s.pageBytesRead();
    }

    SegmentedStore store() {
        return store;
    }

    /**
     * A timeline's applied version, from any thread: the store's states in memory (applied since
     * the last checkpoint, or recently), then the version cache, and only then the checkpointed
     * state in LevelDB. The cache holds nothing or the current version: the core invalidates an
     * entry before it applies to that timeline, and puts the new version back once it is durable.
     */
    long appliedVersion(long timeline) {
        TimelineState known = store.knownState(timeline);
        if (known != null) {
            return known.version();
        }
        long cached = versions.get(timeline);
        return cached != VersionCache.MISSING ? cached : store.checkpointedIndex(timeline);
    }

    LsmAppliedState applied() {
        return applied;
    }

    ColdRoutes coldRoutes() {
        return coldRoutes;
    }

    boolean ready() {
        Mode m = mode();
        return m == Mode.VOTING || m == Mode.LEARNER;
    }

    /** Whether the data directory holds this replica's state (it may still be recovering it). */
    boolean formatted() {
        return formatted;
    }

    /** Timelines with applied state here; what a probing peer learns. */
    int timelineCount() {
        SegmentedStore s = store;
        return ready() && s != null ? s.timelines().size() : 0;
    }

    // ------------------------------------------------------------------ stop

    /** Graceful stop: flushes the log, checkpoints, closes everything. */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Hard stop, as close to {@code kill -9} as one JVM allows: the server drops its connections,
     * the core thread stops, and log records not yet fsynced are discarded, not flushed.
     */
    public void kill() {
        stop(true);
    }

    private void stop(boolean hard) {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        server.close();
        peerServer.close();
        if (routes != null) {
            routes.close();
        }
        timers.shutdownNow();
        try {
            booted.await(30, TimeUnit.SECONDS);
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (driver != null) {
            driver.close();
        }
        if (log != null) {
            if (hard) {
                log.abandon();
            } else {
                log.close();
            }
        }
        client.close();
        if (store != null) {
            store.close();
        }
        if (versions != null) {
            versions.close();
        }
        mode = Mode.STOPPED;
    }
}
