package org.sediment.router.client;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.sediment.common.api.ssd.GetReply;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.time.Clock;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.Tier;
import org.sediment.router.ssd.ReplicaBoard;
import org.sediment.router.ssd.SsdCallException;
import org.sediment.router.ssd.SsdGroupClient;

/**
 * The Java SDK: store and read timelines (DESIGN §1). Routes every call from the live route
 * config ({@code owner → bucket → group} through the partition map), tries the timeline's
 * replicas in priority order with hedging and failure accrual ({@link SsdGroupClient}), reloads
 * routes and retries on {@code STALE_ROUTE}, and bounds the calls it runs at once.
 *
 * <p>Every write carries a request id kept over all its retries and hedges (the caller's own with
 * {@link Write#withRequestId}), so a write applies at most once. Reads are strong by default.
 * Each call has a blocking form (call it from virtual threads or plain threads) and an
 * asynchronous one ({@code ...Async}); failures are {@link SedimentException}s.
 *
 * <p>Reads choose their tier with the {@link ReadPathPolicy}; a deployment without a memory tier
 * reads from the SSD tier. Data that sank to the cold tier is read through the {@link ColdReader}.
 */
public final class SedimentClient implements AutoCloseable {

    /** The wire messages a client needs. */
    public static final MessageRegistry REGISTRY = MessageRegistry.builder().registerAll(SsdApi.ALL)
            .registerAll(org.sediment.common.api.hdd.HddApi.ALL).build();
    /** The most items one page may ask for. */
    public static final int MAX_LIMIT = SsdApi.MAX_PAGE_ITEMS;
    /** The most timelines one feed or batch get may name. */
    public static final int MAX_OWNERS = SsdApi.MAX_BATCH_PARTS;
    private static final int STALE_ROUTE_RETRIES = 3;
    private static final long ROUTE_POLL_MICROS = 20_000;

    private final RouteSource routes;
    private final ClientSettings settings;
    private final RpcClient rpc;
    private final ReplicaBoard board;
    private final SsdTier ssd;
    private final Map<Tier, TierReader> readers = new EnumMap<>(Tier.class);
    private final ReadPathPolicy readPath = new ReadPathPolicy();
    private final ColdReader cold;
    private final Clock clock;
    private final Semaphore inFlight;
    private final Feeds feeds;

    private SedimentClient(Builder builder) {
        this.routes = builder.routes;
        this.settings = builder.settings;
        this.clock = builder.clock;
        this.rpc = new RpcClient(settings.rpc(), REGISTRY);
        this.cold = builder.cold != null ? builder.cold : new HddColdReader(rpc, settings.calls().timeoutMs());
        this.board = new ReplicaBoard(rpc, settings.board());
        this.ssd = new SsdTier(rpc, settings.calls(), board);
        this.readers.put(Tier.SSD, ssd);
        this.readers.put(Tier.MEMORY, new MemoryTier(rpc, ssd, board, MemoryTier.TIMEOUT_MS));
        this.readers.putAll(builder.readers);
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.feeds = new Feeds(this);
    }

    public static Builder builder(RouteSource routes) {
        return new Builder(routes);
    }

    /** A client with default settings. */
    public static SedimentClient connect(RouteSource routes) {
        return builder(routes).build();
    }

    public RouteConfig routes() {
        return routes.current();
    }

    public ClientSettings settings() {
        return settings;
    }

    /** What this client knows of replicas' health (failure accrual). */
    public ReplicaBoard replicaBoard() {
        return board;
    }

    // ------------------------------------------------------------------ writes

    /** Appends {@code value} to {@code owner}'s timeline at the current time. */
    public Written append(long owner, byte[] value) {
        return await(appendAsync(owner, value));
    }

    public Written append(long owner, long ts, byte[] value) {
        return write(Write.append(owner, ts, value));
    }

    public Written put(long owner, long ts, int seq, byte[] value) {
        return write(Write.put(owner, ts, seq, value));
    }

    public Written delete(long owner, long ts, int seq) {
        return write(Write.delete(owner, ts, seq));
    }

    /**
     * Applies {@code write}; a conditional write whose version check fails throws
     * {@link VersionConflictException}.
     */
    public Written write(Write write) {
        return await(writeAsync(write));
    }

    public CompletableFuture<Written> appendAsync(long owner, byte[] value) {
        return writeAsync(Write.append(owner, clock.epochMillis(), value));
    }

    public CompletableFuture<Written> writeAsync(Write write) {
        WriteRequest request;
        try {
            if (write.value().length > settings.maxValueBytes()) {
                throw new IllegalArgumentException("value of " + write.value().length
                        + " bytes exceeds the limit of " + settings.maxValueBytes());
            }
            long id = write.requestId() != WriteRequest.NO_REQUEST_ID ? write.requestId() : SsdGroupClient.newRequestId();
            request = new WriteRequest(write.owner(), write.kind(), write.ifVersion(), write.ts(), write.seq(),
                    write.value(), id);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(invalid(e.getMessage()));
        }
        return routed(config -> ssd.write(config, ssdGroup(config, write.owner()), request)
                .thenApply(reply -> written(write, reply)));
    }

    private static Written written(Write write, WriteReply reply) {
        return switch (reply.status()) {
            case OK -> new Written(write.ts(), write.kind() == WriteKind.APPEND ? reply.seq() : write.seq(),
                    reply.version());
            case VERSION_MISMATCH -> throw new VersionConflictException(write.owner(), write.ifVersion(),
                    reply.actualVersion());
            case CONTENDED -> throw new SedimentException(SedimentException.Reason.INDETERMINATE,
                    "the group could not decide the write in time; it may still apply: " + reply.detail());
        };
    }

    // ------------------------------------------------------------------ reads

    public ItemRead get(long owner, long ts, int seq) {
        return await(getAsync(owner, ts, seq));
    }

    public CompletableFuture<ItemRead> getAsync(long owner, long ts, int seq) {
        GetRequest request;
        try {
            request = new GetRequest(owner, settings.readMode(), ts, seq);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(invalid(e.getMessage()));
        }
        return routed(config -> reader(config, ts).get(config, ssdGroup(config, owner), request)
                .thenCompose(reply -> itemRead(owner, ts, seq, reply)));
    }

    CompletableFuture<ItemRead> itemRead(long owner, long ts, int seq, GetReply reply) {
        if (reply.found()) {
            return CompletableFuture.completedFuture(
                    new ItemRead(reply.version(), Optional.of(new Item(owner, ts, seq, reply.value()))));
        }
        if (reply.coldLink() == null) {
            return CompletableFuture.completedFuture(new ItemRead(reply.version(), Optional.empty()));
        }
        return cold.read(owner, reply.coldLink(), reply.coldRoute()).thenApply(items -> {
            for (TimelineItem item : items) {
                if (item.ts() == ts && item.seq() == seq) {
                    return new ItemRead(reply.version(), Optional.of(new Item(owner, ts, seq, item.value())));
                }
            }
            return new ItemRead(reply.version(), Optional.empty());
        });
    }

    /**
     * A page of {@code owner}'s timeline, newest first: from its newest item when {@code before}
     * is null, else strictly older than the cursor (the {@link Page#next()} of the page before).
     */
    public Page timeline(long owner, Cursor before, int limit) {
        return await(timelineAsync(owner, before, limit));
    }

    public CompletableFuture<Page> timelineAsync(long owner, Cursor before, int limit) {
        PageRequest request;
        try {
            checkLimit(limit);
            if (before != null && (before.kind() != Cursor.Kind.TIMELINE || before.owner() != owner)) {
                throw new IllegalArgumentException("the cursor belongs to " + (before.kind() == Cursor.Kind.FEED
                        ? "a feed" : "timeline " + Long.toUnsignedString(before.owner())) + ", not to timeline "
                        + Long.toUnsignedString(owner));
            }
            request = before == null ? PageRequest.newest(owner, settings.readMode(), limit)
                    : PageRequest.olderThan(owner, settings.readMode(), before.ts(), before.seq(), limit);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(invalid(e.getMessage()));
        }
        long newest = before == null ? clock.epochMillis() : before.ts();
        return routed(config -> reader(config, newest).page(config, ssdGroup(config, owner), request)
                .thenCompose(reply -> pageItems(owner, request, reply))
                .thenApply(part -> {
                    Cursor next = part.exhausted() || part.items().isEmpty() ? null
                            : Cursor.timeline(owner, part.items().getLast().ts(), part.items().getLast().seq());
                    return new Page(part.items(), next, part.version());
                }));
    }

    /**
     * What one page reply holds of a timeline, with the items of sunk blocks read through the
     * cold reader (newest block first, until the page is full).
     *
     * @param exhausted nothing older than the last item exists
     */
    record PagePart(long owner, long version, List<Item> items, boolean exhausted) {
    }

    CompletableFuture<PagePart> pageItems(long owner, PageRequest request, PageReply reply) {
        List<Item> items = new ArrayList<>(reply.items().size());
        for (TimelineItem item : reply.items()) {
            items.add(new Item(owner, item.ts(), item.seq(), item.value()));
        }
        if (reply.coldLinks().isEmpty() || items.size() >= request.limit()) {
            boolean exhausted = !reply.cut() && reply.coldLinks().isEmpty() && items.size() < request.limit();
            return CompletableFuture.completedFuture(new PagePart(owner, reply.version(), items, exhausted));
        }
        return ColdPages.fill(cold, owner, request, reply, items)
                .thenApply(filled -> new PagePart(owner, reply.version(), filled.items(), filled.exhausted()));
    }

    /**
     * Read diffusion: the newest items of many timelines merged newest first (ties by owner),
     * with one cursor for the whole feed. One request per SSD group, however many owners it holds.
     */
    public FeedPage feed(List<Long> owners, Cursor before, int limit) {
        return await(feedAsync(owners, before, limit));
    }

    public CompletableFuture<FeedPage> feedAsync(List<Long> owners, Cursor before, int limit) {
        try {
            checkLimit(limit);
            if (owners.isEmpty() || owners.size() > MAX_OWNERS) {
                throw new IllegalArgumentException("a feed names 1 to " + MAX_OWNERS + " owners, got " + owners.size());
            }
            if (before != null && before.kind() != Cursor.Kind.FEED) {
                throw new IllegalArgumentException("the cursor belongs to a timeline, not to a feed");
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(invalid(e.getMessage()));
        }
        long newest = before == null ? clock.epochMillis() : before.ts();
        return routed(config -> feeds.page(config, reader(config, newest), owners, before, limit));
    }

    /** Many items by key, answered in the order asked; one request per SSD group. */
    public List<ItemRead> batchGet(List<ItemRef> refs) {
        return await(batchGetAsync(refs));
    }

    public CompletableFuture<List<ItemRead>> batchGetAsync(List<ItemRef> refs) {
        List<GetRequest> requests = new ArrayList<>(refs.size());
        try {
            if (refs.isEmpty() || refs.size() > MAX_OWNERS) {
                throw new IllegalArgumentException("a batch get names 1 to " + MAX_OWNERS + " items, got " + refs.size());
            }
            for (ItemRef ref : refs) {
                requests.add(new GetRequest(ref.owner(), settings.readMode(), ref.ts(), ref.seq()));
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(invalid(e.getMessage()));
        }
        long newest = clock.epochMillis();
        return routed(config -> feeds.gets(config, reader(config, newest), requests));
    }

    // ------------------------------------------------------------------ plumbing

    int ssdGroup(RouteConfig config, long owner) {
        return config.groupOf(Tier.SSD, owner).id();
    }

    private TierReader reader(RouteConfig config, long newestTs) {
        Tier tier = readPath.tierFor(config, newestTs, clock.epochMillis(), ThreadLocalRandom.current().nextDouble());
        TierReader reader = readers.get(tier);
        return reader != null ? reader : ssd;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in [1, " + MAX_LIMIT + "], got " + limit);
        }
    }

    /**
     * Runs {@code call} under the in-flight bound with the current routes; on {@code STALE_ROUTE}
     * waits for the route source to catch up with the server (at most
     * {@link ClientSettings#staleRouteWaitMs}) and runs it again, with the same request ids.
     */
    private <T> CompletableFuture<T> routed(java.util.function.Function<RouteConfig, CompletableFuture<T>> call) {
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(new SedimentException(SedimentException.Reason.OVERLOADED,
                    "this client already runs " + settings.maxInFlight() + " calls"));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        result.whenComplete((value, error) -> inFlight.release());
        attempt(call, result, 0);
        return result;
    }

    private <T> void attempt(java.util.function.Function<RouteConfig, CompletableFuture<T>> call,
                             CompletableFuture<T> result, int staleRetries) {
        RouteConfig config = routes.current();
        CompletableFuture<T> started;
        try {
            started = call.apply(config);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(error);
            if (cause instanceof SsdCallException s && s.code() == ErrorCode.STALE_ROUTE
                    && staleRetries < STALE_ROUTE_RETRIES) {
                long deadline = System.nanoTime() + settings.staleRouteWaitMs() * 1_000_000;
                awaitRoutes(s.serverRouteVersion(), deadline, () -> attempt(call, result, staleRetries + 1));
                return;
            }
            result.completeExceptionally(translate(cause, config));
        });
    }

    private void awaitRoutes(long version, long deadlineNanos, Runnable then) {
        if (routes.current().version() >= version || System.nanoTime() >= deadlineNanos) {
            then.run();
        } else if (board.schedule(() -> awaitRoutes(version, deadlineNanos, then), ROUTE_POLL_MICROS) == null) {
            then.run(); // closed: let the call fail on its own
        }
    }

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    private SedimentException translate(Throwable cause, RouteConfig config) {
        if (cause instanceof SedimentException known) {
            return known;
        }
        if (cause instanceof SsdCallException s) {
            SedimentException.Reason reason = switch (s.code()) {
                case BAD_FRAME, TOO_LARGE -> SedimentException.Reason.INVALID;
                case OVERLOADED -> SedimentException.Reason.OVERLOADED;
                case UNAVAILABLE, TIMEOUT -> SedimentException.Reason.UNAVAILABLE;
                case STALE_ROUTE -> SedimentException.Reason.UNAVAILABLE;
                default -> SedimentException.Reason.INTERNAL;
            };
            String message = s.code() == ErrorCode.STALE_ROUTE
                    ? "routes are stale: the server follows version " + s.serverRouteVersion() + ", this client "
                    + config.version() + " (" + s.getMessage() + ")"
                    : s.getMessage();
            return new SedimentException(reason, message, s);
        }
        if (cause instanceof IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
        return new SedimentException(SedimentException.Reason.INTERNAL, String.valueOf(cause), cause);
    }

    static SedimentException invalid(String message) {
        return new SedimentException(SedimentException.Reason.INVALID, message);
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof SedimentException s) {
                throw s;
            }
            throw new SedimentException(SedimentException.Reason.INTERNAL, String.valueOf(cause), cause);
        }
    }

    /** The current time as this client sees it (an append without a time gets it). */
    public long now() {
        return clock.epochMillis();
    }

    @Override
    public void close() {
        board.close();
        rpc.close();
    }

    /** How to build a client: routes are required; the rest has defaults. */
    public static final class Builder {
        private final RouteSource routes;
        private ClientSettings settings = ClientSettings.defaults();
        private Clock clock = Clock.system();
        private ColdReader cold;
        private final Map<Tier, TierReader> readers = new EnumMap<>(Tier.class);

        private Builder(RouteSource routes) {
            if (routes == null) {
                throw new IllegalArgumentException("routes must be set");
            }
            this.routes = routes;
        }

        public Builder settings(ClientSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Reads sunk data; by default the HDD tier's reader on this client's connections
         * ({@link ColdReader#NONE} refuses every such read with {@code COLD_UNAVAILABLE}).
         */
        public Builder coldReader(ColdReader reader) {
            this.cold = reader;
            return this;
        }

        /** Serves the reads the {@link ReadPathPolicy} sends to {@code tier} (the memory tier's reader). */
        public Builder tierReader(Tier tier, TierReader reader) {
            if (tier == Tier.SSD || tier == Tier.HDD) {
                throw new IllegalArgumentException("the SSD tier is built in; the HDD tier is read through a ColdReader");
            }
            readers.put(tier, reader);
            return this;
        }

        public SedimentClient build() {
            return new SedimentClient(this);
        }
    }
}
