package org.sediment.ssd.node;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.sediment.common.api.ssd.ColdLinkCommit;
import org.sediment.common.api.ssd.MultiGetReply;
import org.sediment.common.api.ssd.MultiGetRequest;
import org.sediment.common.api.ssd.MultiPageReply;
import org.sediment.common.api.ssd.MultiPageRequest;
import org.sediment.common.api.ssd.NodeStatus;
import org.sediment.common.api.ssd.ColdRoute;
import org.sediment.common.api.ssd.ColdRouteAck;
import org.sediment.common.api.ssd.ColdRouteUpdate;
import org.sediment.common.api.ssd.GetReply;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.ReadMode;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.api.ssd.VersionCheckReply;
import org.sediment.common.api.ssd.VersionCheckRequest;
import org.sediment.common.api.ssd.VersionClaim;
import org.sediment.common.api.ssd.VersionVerdict;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.block.ColdLink;
import org.sediment.common.key.ItemKey;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.rpc.RpcServer;
import org.sediment.common.wire.ErrorCode;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.storage.StoredItem;
import org.sediment.ssd.timeline.TimelineState;

/**
 * The node's handlers on its client port: the public API (writes, pages, gets, batch version
 * checks, cold-link commits, cold routes); the peers talk to {@link PeerApi} on a port of their
 * own. Writes are asynchronous: the event loop hands them to the core and its answer goes straight
 * out. Reads and version checks run on virtual threads and wait for the core's barrier with the
 * node's request timeout.
 *
 * <p>Answers a caller can act on: {@code UNAVAILABLE} (starting, learner-only, stopping, or no
 * majority for a strong read: try the next replica now), {@code OVERLOADED} (core queue full),
 * {@code TIMEOUT} (the core did not answer in time; a write may still happen), and in the body
 * {@code VERSION_MISMATCH} / {@code CONTENDED} for writes.
 */
final class ClientApi {
    private final SsdNode node;
    /**
     * Ids for writes that came without one: a random base per start, so ids of two incarnations
     * (and, most likely, of two replicas) do not meet.
     */
    private final AtomicLong nextOpId = new AtomicLong(ThreadLocalRandom.current().nextLong() & 0x7fff_ffff_0000_0000L);

    ClientApi(SsdNode node) {
        this.node = node;
    }

    RpcServer.Builder register(RpcServer.Builder builder) {
        return builder
                .handleAsync(SsdApi.WRITE, (request, header) -> write(request.timeline(), toOperation(request)))
                .handleAsync(SsdApi.COMMIT_COLD_LINK, (request, header) -> write(request.timeline(), toOperation(request)))
                .handle(SsdApi.PAGE, (request, header) -> page(request))
                .handle(SsdApi.GET, (request, header) -> get(request))
                .handle(SsdApi.MULTI_PAGE, (request, header) -> multiPage(request))
                .handle(SsdApi.MULTI_GET, (request, header) -> multiGet(request))
                .handle(SsdApi.VERSION_CHECK, (request, header) -> versionCheck(request))
                .handle(SsdApi.UPDATE_COLD_ROUTES, (request, header) -> updateColdRoutes(request))
                .handle(SsdApi.STATUS, (request, header) -> status());
    }

    // ------------------------------------------------------------------ writes

    /** The operation carries the client's request id, which makes its retries exactly-once (TimelineMachine). */
    private Operation toOperation(WriteRequest r) {
        long opId = r.requestId() != WriteRequest.NO_REQUEST_ID ? r.requestId() : nextOpId.incrementAndGet();
        return switch (r.kind()) {
            case APPEND -> new Operation.Append(opId, r.ifVersion(), r.ts(), r.value());
            case PUT -> new Operation.Put(opId, r.ifVersion(), r.ts(), r.seq(), r.value());
            case DELETE -> new Operation.Delete(opId, r.ifVersion(), r.ts(), r.seq());
        };
    }

    private Operation toOperation(ColdLinkCommit c) {
        return new Operation.CommitColdLink(nextOpId.incrementAndGet(), c.ifVersion(), c.coldBeforeTs(), c.link().encode());
    }

    /**
     * Why the item time of {@code op} is outside the window the node accepts
     * ({@link NodeConfig#itemTsPastMillis}, {@link NodeConfig#itemTsFutureMillis}), or null. A
     * cold-link commit names a boundary, not an item, and is not checked.
     */
    private String itemTimeOutsideWindow(Operation op) {
        long ts = switch (op) {
            case Operation.Append a -> a.ts();
            case Operation.Put p -> p.ts();
            case Operation.Delete d -> d.ts();
            case Operation.CommitColdLink c -> Long.MIN_VALUE;
        };
        if (ts == Long.MIN_VALUE) {
            return null;
        }
        long now = node.clock().epochMillis();
        NodeConfig config = node.config();
        long earliest = config.itemTsPastMillis() >= now ? Long.MIN_VALUE : now - config.itemTsPastMillis();
        long latest = now + Math.min(config.itemTsFutureMillis(), Long.MAX_VALUE - now);
        if (ts < earliest || ts > latest) {
            return "item time " + ts + " is outside the window this node accepts: "
                    + (earliest == Long.MIN_VALUE ? "any time" : earliest) + ".." + latest + " (now " + now + ")";
        }
        return null;
    }

    /** Hands the write to the core; the reply follows its outcome (runs on the event loop). */
    private CompletableFuture<RpcOutcome<WriteReply>> write(long timeline, Operation op) {
        ReplicaDriver driver = node.driver();
        if (!node.ready() || driver == null) {
            return completedFuture(RpcOutcome.reject(ErrorCode.UNAVAILABLE,
                    "node " + node.config().nodeIndex() + " is " + node.mode()));
        }
        String outOfWindow = itemTimeOutsideWindow(op);
        if (outOfWindow != null) {
            return completedFuture(RpcOutcome.reject(ErrorCode.BAD_FRAME, outOfWindow));
        }
        int valueBytes = switch (op) {
            case Operation.Append a -> a.value().length;
            case Operation.Put p -> p.value().length;
            default -> 0;
        };
        if (valueBytes > node.config().maxValueBytes()) {
            return completedFuture(RpcOutcome.reject(ErrorCode.TOO_LARGE, "a value of " + valueBytes
                    + " bytes exceeds this node's limit of " + node.config().maxValueBytes()));
        }
        return driver.submitWrite(timeline, op).handle((outcome, failure) -> {
            if (failure instanceof TimeoutException) {
                return RpcOutcome.reject(ErrorCode.TIMEOUT, "no decision within " + node.config().requestTimeoutMs()
                        + " ms; the write may still be applied");
            }
            if (failure != null) {
                throw new IllegalStateException("core failed a request", failure);
            }
            return writeReply(outcome);
        });
    }

    private static RpcOutcome<WriteReply> writeReply(OpOutcome outcome) {
        return switch (outcome) {
            case OpOutcome.Appended a -> RpcOutcome.success(WriteReply.ok(a.version(), a.seq()));
            case OpOutcome.Written w -> RpcOutcome.success(WriteReply.ok(w.version(), 0));
            // The failed check itself took an entry: report the version now, the one to retry with.
            case OpOutcome.VersionMismatch m -> RpcOutcome.success(WriteReply.versionMismatch(m.version()));
            case OpOutcome.Contended c -> RpcOutcome.success(WriteReply.contended(
                    "no decision after " + c.prepareRounds() + " prepare rounds: " + c.reason()));
            case OpOutcome.NotReady n -> RpcOutcome.reject(ErrorCode.UNAVAILABLE, n.reason());
            case OpOutcome.Overloaded o -> RpcOutcome.reject(ErrorCode.OVERLOADED, o.queuedOps() + " operations queued");
            case OpOutcome.Invalid i -> RpcOutcome.reject(ErrorCode.BAD_FRAME, "the write cannot apply: " + i.reason());
            case OpOutcome.ReadDone r -> throw new IllegalStateException("a write answered as a read");
            case OpOutcome.ReadUnavailable r -> throw new IllegalStateException("a write answered as a read");
        };
    }

    // ------------------------------------------------------------------ reads

    /**
     * For a strong read, waits until a majority confirms this replica's version of the timeline;
     * returns null when the read may go ahead, else the rejection to send.
     */
    private <R> RpcOutcome<R> barrier(long timeline, ReadMode mode) throws InterruptedException {
        ReplicaDriver driver = node.driver();
        if (!node.ready() || driver == null) {
            return RpcOutcome.reject(ErrorCode.UNAVAILABLE, "node " + node.config().nodeIndex() + " is " + node.mode());
        }
        if (mode == ReadMode.LOCAL) {
            return null;
        }
        try {
            return readFailure(await(driver.submitRead(timeline)));
        } catch (TimeoutException e) {
            return RpcOutcome.reject(ErrorCode.TIMEOUT, "read not confirmed within " + node.config().requestTimeoutMs() + " ms");
        }
    }

    private static <R> RpcOutcome<R> readFailure(OpOutcome outcome) {
        return switch (outcome) {
            case OpOutcome.ReadDone done -> null;
            case OpOutcome.ReadUnavailable u -> RpcOutcome.reject(ErrorCode.UNAVAILABLE, "no majority confirmed the read after "
                    + u.attempts() + " attempts: " + u.reason());
            case OpOutcome.NotReady n -> RpcOutcome.reject(ErrorCode.UNAVAILABLE, n.reason());
            case OpOutcome.Overloaded o -> RpcOutcome.reject(ErrorCode.OVERLOADED, o.queuedOps() + " operations queued");
            default -> RpcOutcome.reject(ErrorCode.INTERNAL, "unexpected read outcome " + outcome);
        };
    }

    private RpcOutcome<PageReply> page(PageRequest r) throws InterruptedException {
        RpcOutcome<PageReply> rejected = barrier(r.timeline(), r.mode());
        if (rejected != null) {
            return rejected;
        }
        return RpcOutcome.success(readPage(r, SsdApi.MAX_BODY_BYTES / 2));
    }

    /** The page as this replica holds it now, its items cut at {@code budgetBytes}. */
    private PageReply readPage(PageRequest r, long budgetBytes) {
        // The state before the rows: a page is never older than the version it reports.
        TimelineState state = node.store().state(r.timeline());
        ItemKey cursor = r.fromNewest() ? null : new ItemKey(r.timeline(), r.beforeTs(), r.beforeSeq());
        // At version 0 the timeline holds nothing: do not walk (and reopen) every segment to find that out.
        List<StoredItem> stored = state.version() == 0 ? List.of() : node.store().page(r.timeline(), cursor, r.limit());
        List<TimelineItem> items = toItems(stored, budgetBytes);
        List<ColdLink> links = new ArrayList<>();
        List<ColdRoute> routes = new ArrayList<>();
        if (stored.size() < r.limit() && items.size() == stored.size()) {
            // The page ran out of hot rows: older items, if any, sank; say where they are.
            long below = r.fromNewest() ? Long.MAX_VALUE : r.beforeTs();
            List<byte[]> encoded = state.coldLinks();
            for (int i = encoded.size() - 1; i >= 0; i--) {
                ColdLink link = ColdLink.decode(encoded.get(i));
                if (link.minTs() < below && links.size() < SsdApi.MAX_PAGE_COLD_LINKS) {
                    links.add(link);
                    ColdRoute route = node.coldRoutes().route(link.hddGroup());
                    if (route != null && !routes.contains(route)) {
                        routes.add(route);
                    }
                }
            }
        }
        return new PageReply(state.version(), items, links, routes, items.size() < stored.size());
    }

    /**
     * A feed's pages from this group: every strong read is submitted to the core at once (their
     * probes share peer batches), then each page is read with an equal share of one frame.
     */
    private RpcOutcome<MultiPageReply> multiPage(MultiPageRequest r) throws InterruptedException {
        List<Long> timelines = new ArrayList<>(r.pages().size());
        List<ReadMode> modes = new ArrayList<>(r.pages().size());
        for (PageRequest page : r.pages()) {
            timelines.add(page.timeline());
            modes.add(page.mode());
        }
        RpcOutcome<MultiPageReply> rejected = barriers(timelines, modes);
        if (rejected != null) {
            return rejected;
        }
        long budget = (SsdApi.MAX_BODY_BYTES / 2 - 4L - (long) PageReply.EMPTY_BYTES * r.pages().size())
                / r.pages().size();
        List<PageReply> pages = new ArrayList<>(r.pages().size());
        for (PageRequest page : r.pages()) {
            pages.add(fitted(readPage(page, budget / 2), budget));
        }
        return RpcOutcome.success(new MultiPageReply(pages));
    }

    /**
     * {@code page} within {@code budgetBytes} (its items already take at most half): cold routes
     * are dropped first (a reader handles a link without a route), then all links but the newest,
     * which still tells the reader that older data sank.
     */
    private static PageReply fitted(PageReply page, long budgetBytes) {
        if (PageReply.encodedBytes(page.items(), page.coldLinks(), page.coldRoutes()) <= budgetBytes) {
            return page;
        }
        if (PageReply.encodedBytes(page.items(), page.coldLinks(), List.of()) <= budgetBytes) {
            return new PageReply(page.version(), page.items(), page.coldLinks(), List.of(), page.cut());
        }
        return new PageReply(page.version(), page.items(), page.coldLinks().subList(0, 1), List.of(), page.cut());
    }

    /** Gets of many timelines: reads confirmed together, answers in order until a frame is full. */
    private RpcOutcome<MultiGetReply> multiGet(MultiGetRequest r) throws InterruptedException {
        List<Long> timelines = new ArrayList<>(r.gets().size());
        List<ReadMode> modes = new ArrayList<>(r.gets().size());
        for (GetRequest get : r.gets()) {
            timelines.add(get.timeline());
            modes.add(get.mode());
        }
        RpcOutcome<MultiGetReply> rejected = barriers(timelines, modes);
        if (rejected != null) {
            return rejected;
        }
        List<GetReply> answers = new ArrayList<>(r.gets().size());
        long bytes = 4;
        for (GetRequest get : r.gets()) {
            GetReply answer = readItem(get);
            bytes += answer.encodedBytes();
            if (bytes > SsdApi.MAX_BODY_BYTES / 2 && !answers.isEmpty()) {
                break; // the caller asks again for the rest
            }
            answers.add(answer);
        }
        return RpcOutcome.success(new MultiGetReply(answers));
    }

    /** {@link #barrier} for many timelines at once: all reads submitted before the first is awaited. */
    private <R> RpcOutcome<R> barriers(List<Long> timelines, List<ReadMode> modes) throws InterruptedException {
        ReplicaDriver driver = node.driver();
        if (!node.ready() || driver == null) {
            return RpcOutcome.reject(ErrorCode.UNAVAILABLE, "node " + node.config().nodeIndex() + " is " + node.mode());
        }
        List<CompletableFuture<OpOutcome>> reads = new ArrayList<>(timelines.size());
        java.util.Set<Long> submitted = new java.util.HashSet<>();
        for (int i = 0; i < timelines.size(); i++) {
            if (modes.get(i) == ReadMode.STRONG && submitted.add(timelines.get(i))) {
                reads.add(driver.submitRead(timelines.get(i)));
            }
        }
        for (CompletableFuture<OpOutcome> read : reads) {
            try {
                RpcOutcome<R> rejected = readFailure(await(read));
                if (rejected != null) {
                    return rejected;
                }
            } catch (TimeoutException e) {
                return RpcOutcome.reject(ErrorCode.TIMEOUT, "reads not confirmed within "
                        + node.config().requestTimeoutMs() + " ms");
            }
        }
        return null;
    }

    private RpcOutcome<GetReply> get(GetRequest r) throws InterruptedException {
        RpcOutcome<GetReply> rejected = barrier(r.timeline(), r.mode());
        if (rejected != null) {
            return rejected;
        }
        return RpcOutcome.success(readItem(r));
    }

    /** The item as this replica holds it now, or where it sank. */
    private GetReply readItem(GetRequest r) {
        record Read(TimelineState state, byte[] value) {
        }
        // Together: a row read gone under a state that does not yet say it sank would be "not found".
        Read read = node.store().consistentRead(() -> new Read(node.store().state(r.timeline()),
                node.store().get(new ItemKey(r.timeline(), r.ts(), r.seq()))));
        TimelineState state = read.state();
        byte[] value = read.value();
        if (value != null) {
            return GetReply.found(state.version(), value);
        }
        // Not here: if it sank, say into which block (the newest whose time range covers it).
        List<byte[]> encoded = state.coldLinks();
        for (int i = encoded.size() - 1; i >= 0; i--) {
            ColdLink link = ColdLink.decode(encoded.get(i));
            if (link.minTs() <= r.ts() && r.ts() <= link.maxTs()) {
                return GetReply.sunk(state.version(), link, node.coldRoutes().route(link.hddGroup()));
            }
        }
        return GetReply.notFound(state.version());
    }

    /**
     * The memory tier's validation: every claimed version is checked with a strong read (all
     * submitted to the core at once, so their probes share peer batches); a stale claim gets the
     * current version and its newest page.
     */
    private RpcOutcome<VersionCheckReply> versionCheck(VersionCheckRequest r) throws InterruptedException {
        ReplicaDriver driver = node.driver();
        if (!node.ready() || driver == null) {
            return RpcOutcome.reject(ErrorCode.UNAVAILABLE, "node " + node.config().nodeIndex() + " is " + node.mode());
        }
        List<CompletableFuture<OpOutcome>> reads = new ArrayList<>(r.claims().size());
        for (VersionClaim claim : r.claims()) {
            reads.add(driver.submitRead(claim.timeline()));
        }
        long[] versions = new long[reads.size()];
        int stale = 0;
        for (int i = 0; i < reads.size(); i++) {
            RpcOutcome<VersionCheckReply> rejected;
            try {
                rejected = readFailure(await(reads.get(i)));
            } catch (TimeoutException e) {
                return RpcOutcome.reject(ErrorCode.TIMEOUT, "version check not confirmed within "
                        + node.config().requestTimeoutMs() + " ms");
            }
            if (rejected != null) {
                return rejected;
            }
            versions[i] = node.appliedVersion(r.claims().get(i).timeline());
            stale += versions[i] == r.claims().get(i).version() ? 0 : 1;
        }
        // The stale verdicts' pages share what is left of one frame after the small ones.
        long pageBudget = (SsdApi.MAX_BODY_BYTES - 1024L - (long) VersionVerdict.EMPTY_BYTES * r.claims().size())
                / Math.max(1, stale);
        List<VersionVerdict> verdicts = new ArrayList<>(r.claims().size());
        for (int i = 0; i < reads.size(); i++) {
            VersionClaim claim = r.claims().get(i);
            if (versions[i] == claim.version()) {
                verdicts.add(VersionVerdict.current(claim));
            } else {
                PageReply fresh = readPage(PageRequest.newest(claim.timeline(), ReadMode.STRONG, r.pageLimit()), pageBudget);
                boolean complete = !fresh.cut() && fresh.coldLinks().isEmpty() && fresh.items().size() < r.pageLimit();
                verdicts.add(VersionVerdict.stale(claim.timeline(), fresh.version(), fresh.items(), complete));
            }
        }
        return RpcOutcome.success(new VersionCheckReply(verdicts));
    }

    private RpcOutcome<ColdRouteAck> updateColdRoutes(ColdRouteUpdate update) {
        if (!node.ready()) {
            return RpcOutcome.reject(ErrorCode.UNAVAILABLE, "node " + node.config().nodeIndex() + " is " + node.mode());
        }
        return RpcOutcome.success(new ColdRouteAck(node.coldRoutes().update(update.routes())));
    }

    private RpcOutcome<NodeStatus> status() {
        NodeHealth health = node.health();
        return RpcOutcome.success(new NodeStatus(health.groupId(), health.nodeIndex(), health.mode().name(),
                node.routeVersion(), node.dataBytes(), health.coreTimelines(), health.logRecords()));
    }

    // ------------------------------------------------------------------ helpers

    private OpOutcome await(CompletableFuture<OpOutcome> future) throws InterruptedException, TimeoutException {
        try {
            // The core fails the future at the deadline; the wait's own limit is a backstop.
            return future.get(2L * node.config().requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw timeout;
            }
            throw new IllegalStateException("core failed a request", e.getCause());
        }
    }

    /** Items, newest first, cut short where they would pass {@code budgetBytes} on the wire. */
    private static List<TimelineItem> toItems(List<StoredItem> stored, long budgetBytes) {
        List<TimelineItem> items = new ArrayList<>(stored.size());
        long bytes = 0;
        for (StoredItem s : stored) {
            TimelineItem item = new TimelineItem(s.key().ts(), s.key().seq(), s.value());
            bytes += item.encodedBytes();
            if (bytes > budgetBytes) {
                break;
            }
            items.add(item);
        }
        return items;
    }
}
