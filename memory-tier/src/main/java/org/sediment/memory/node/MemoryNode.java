package org.sediment.memory.node;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.api.ssd.MultiPageReply;
import org.sediment.common.api.ssd.MultiPageRequest;
import org.sediment.common.api.ssd.NodeStatus;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.api.ssd.VersionClaim;
import org.sediment.common.api.ssd.VersionVerdict;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.rpc.RpcServer;
import org.sediment.common.rpc.RpcServerConfig;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.memory.cache.CachedPage;
import org.sediment.memory.cache.PageCache;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigWatcher;
import org.sediment.router.config.Tier;
import org.sediment.router.ssd.ReplicaBoard;
import org.sediment.router.ssd.SsdCallException;
import org.sediment.router.ssd.SsdCallPolicy;
import org.sediment.router.ssd.SsdGroupClient;

/**
 * A memory node (DESIGN §4): serves the newest page of its group's timelines from its
 * {@link PageCache}, and never without the SSD tier's word that the cached version is current.
 * Each read sends {@code (timeline, cachedVersion)} through the {@link VersionCheckBatcher}, which
 * merges the claims of concurrent reads into one {@code VERSION_CHECK} per batch; the verdict is
 * "valid" (serve the cached page) or the fresh page itself (cache it, serve it). Only when the
 * cache holds fewer items than asked (a page that reaches sunk data, or one cut by a reply's
 * byte budget) does the node read the page from the SSD tier.
 *
 * <p>It speaks the SSD tier's page calls ({@code PAGE} from the newest item, {@code MULTI_PAGE}),
 * so a client reads a memory node as it reads a replica; anything else is refused, and the
 * client reads the SSD tier instead. It holds nothing that is not also in the SSD tier: losing,
 * restarting or emptying it loses no data.
 */
public final class MemoryNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MemoryNode.class.getName());

    private final MemoryNodeConfig config;
    private final PageCache cache;
    private final RouteConfigWatcher routes;
    private final RpcClient rpc;
    private final ReplicaBoard board;
    private final VersionCheckBatcher batcher;
    private final RpcServer server;
    private volatile SsdGroupClient ssd;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    final LongAdder pageReads = new LongAdder();
    /** Reads answered with the cached page after the SSD tier confirmed its version: the hits. */
    final LongAdder servedFromCache = new LongAdder();
    /** Reads the cache could not answer in full, read from the SSD tier instead. */
    final LongAdder ssdPageReads = new LongAdder();
    final LongAdder verdictsValid = new LongAdder();
    final LongAdder verdictsStale = new LongAdder();

    private MemoryNode(MemoryNodeConfig config) {
        this.config = config;
        String name = "memory-g" + config.group() + "n" + config.node();
        this.routes = new RouteConfigWatcher(config.routesFile(), RouteConfigWatcher.DEFAULT_POLL);
        try {
            // What can fail (no SSD group for this node, a cache that cannot be mapped) fails before
            // anything else starts, and stops the route watcher it started.
            if (config.group() >= routes.current().groups(Tier.SSD).size()) {
                throw new IllegalStateException("memory group " + config.group() + " has no SSD group in routes version "
                        + routes.current().version());
            }
            this.cache = PageCache.open(config.cacheDir(), config.budgetBytes(), config.chains());
        } catch (RuntimeException e) {
            routes.close();
            throw e;
        }
        this.rpc = new RpcClient(RpcClientConfig.defaults(), MessageRegistry.builder().registerAll(SsdApi.ALL).build(),
                name + "-ssd");
        this.board = new ReplicaBoard(rpc, ReplicaBoard.Settings.defaults());
        this.ssd = ssdClient(routes.current());
        routes.onChange(changed -> ssd = ssdClient(changed));
        this.batcher = new VersionCheckBatcher(check -> ssd.versionCheckAsync(check), config.maxBatch(),
                config.maxChecksInFlight(), config.pageDepth(), 10_000, name + "-checks");
        RpcServerConfig serverConfig = new RpcServerConfig(config.address().getHostString(), config.address().getPort(),
                RpcClientConfig.defaults().maxFrameBytes(), 20_000, 2, 4 << 20);
        this.server = RpcServer.builder(serverConfig, MessageRegistry.builder().registerAll(SsdApi.ALL).build())
                .routeVersion(() -> routes.current().version())
                .threadName(name)
                .handleAsync(SsdApi.PAGE, (request, header) -> outcome(page(request, SsdApi.MAX_BODY_BYTES / 2)))
                .handleAsync(SsdApi.MULTI_PAGE, (request, header) -> outcome(pages(request)))
                .handle(SsdApi.STATUS, (request, header) -> RpcOutcome.success(status()))
                .build();
    }

    /** Starts a node; returns once it serves. */
    public static MemoryNode start(MemoryNodeConfig config) {
        MemoryNode node = new MemoryNode(config);
        try {
            node.server.start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    public InetSocketAddress address() {
        return server.boundAddress();
    }

    public MemoryNodeConfig config() {
        return config;
    }

    /** Hit ratio, batch factor, bytes cached and the other figures of metrics and health. */
    public MemoryNodeStats stats() {
        return new MemoryNodeStats(config.group(), config.node(), pageReads.sum(), servedFromCache.sum(),
                verdictsValid.sum(), verdictsStale.sum(), ssdPageReads.sum(), batcher.checks.sum(), batcher.claims.sum(),
                cache.bytesCached(), cache.budgetBytes(), cache.evictions(), cache.tornEntries(),
                server.stats().rejectedOverloaded());
    }

    private SsdGroupClient ssdClient(RouteConfig config) {
        List<GroupRoute> groups = config.groups(Tier.SSD);
        if (this.config.group() >= groups.size()) {
            throw new IllegalStateException("memory group " + this.config.group() + " has no SSD group in routes version "
                    + config.version());
        }
        List<InetSocketAddress> replicas = new ArrayList<>();
        for (Member member : groups.get(this.config.group()).members()) {
            replicas.add(new InetSocketAddress(member.host(), member.port()));
        }
        return new SsdGroupClient(replicas, rpc, config.version(), SsdCallPolicy.defaults(), board);
    }

    /** The newest page of a timeline: from the cache once its version is confirmed, else fresh. */
    private CompletableFuture<PageReply> page(PageRequest request, long budgetBytes) {
        if (!request.fromNewest() || request.limit() > config.pageDepth()) {
            return CompletableFuture.failedFuture(new SsdCallException(ErrorCode.BAD_FRAME,
                    "a memory node serves pages from the newest item of at most " + config.pageDepth()
                            + " items; read older pages from the SSD tier"));
        }
        pageReads.increment();
        CachedPage cached = cache.get(request.timeline());
        if (!config.checkVersions() && cached != null && cached.covers(request.limit())) {
            return CompletableFuture.completedFuture(fitted(cached, request.limit(), budgetBytes)); // tests only
        }
        long claimed = cached == null ? 0 : cached.version();
        return batcher.check(new VersionClaim(request.timeline(), claimed)).thenCompose(verdict -> {
            CachedPage current = current(request.timeline(), cached, verdict);
            if (current.covers(request.limit())) {
                if (verdict.valid()) {
                    servedFromCache.increment();
                }
                return CompletableFuture.completedFuture(fitted(current, request.limit(), budgetBytes));
            }
            ssdPageReads.increment();
            return ssd.pageAsync(request).thenApply(reply -> {
                if (reply.coldLinks().isEmpty() && !reply.cut()) {
                    cache.put(new CachedPage(request.timeline(), reply.version(), reply.items().size() < request.limit(),
                            reply.items()));
                }
                return reply;
            });
        });
    }

    /** The page a verdict confirms: the cached one, or the fresh one it carries (then cached). */
    private CachedPage current(long timeline, CachedPage cached, VersionVerdict verdict) {
        if (verdict.valid()) {
            verdictsValid.increment();
            // Nothing cached and version 0 confirmed: the timeline has never been written.
            return cached != null ? cached : new CachedPage(timeline, 0, true, List.of());
        }
        verdictsStale.increment();
        CachedPage fresh = new CachedPage(timeline, verdict.version(), verdict.complete(), verdict.freshPage());
        cache.put(fresh);
        return fresh;
    }

    private CompletableFuture<MultiPageReply> pages(MultiPageRequest request) {
        int count = request.pages().size();
        long budget = (SsdApi.MAX_BODY_BYTES / 2 - 4L - (long) PageReply.EMPTY_BYTES * count) / count;
        List<CompletableFuture<PageReply>> pages = new ArrayList<>(count);
        for (PageRequest page : request.pages()) {
            pages.add(page(page, budget));
        }
        return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
                .thenApply(done -> new MultiPageReply(pages.stream().map(CompletableFuture::join).toList()));
    }

    /** The newest {@code limit} items of {@code page}, cut where they would pass {@code budgetBytes}. */
    private static PageReply fitted(CachedPage page, int limit, long budgetBytes) {
        List<TimelineItem> newest = page.newest(limit);
        long bytes = PageReply.EMPTY_BYTES;
        for (int i = 0; i < newest.size(); i++) {
            bytes += newest.get(i).encodedBytes();
            if (bytes > budgetBytes && i > 0) {
                return new PageReply(page.version(), newest.subList(0, i), List.of(), List.of(), true);
            }
        }
        return PageReply.ofItems(page.version(), newest);
    }

    private NodeStatus status() {
        return new NodeStatus(config.group(), config.node(), "CACHING", routes.current().version(), cache.bytesCached(),
                0, 0);
    }

    /** A page's outcome: the SSD tier's error codes pass through, anything else is UNAVAILABLE. */
    private static <R> CompletableFuture<RpcOutcome<R>> outcome(CompletableFuture<R> reply) {
        return reply.handle((ok, failure) -> {
            if (failure == null) {
                return RpcOutcome.success(ok);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof SsdCallException e) {
                return RpcOutcome.reject(e.code(), e.getMessage());
            }
            if (cause instanceof VersionCheckBatcher.OverloadedException e) {
                return RpcOutcome.reject(ErrorCode.OVERLOADED, e.getMessage());
            }
            LOG.log(System.Logger.Level.DEBUG, "page read failed", cause);
            return RpcOutcome.reject(ErrorCode.UNAVAILABLE, "the SSD tier did not answer: " + cause);
        });
    }

    /** Stops serving and unmaps the cache, which stays in its files for the next start. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (server != null) {
            server.close();
        }
        if (batcher != null) {
            batcher.close();
        }
        board.close();
        rpc.close();
        routes.close();
        cache.close();
    }
}
