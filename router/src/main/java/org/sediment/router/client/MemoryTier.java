package org.sediment.router.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.api.ssd.GetReply;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.MultiGetReply;
import org.sediment.common.api.ssd.MultiGetRequest;
import org.sediment.common.api.ssd.MultiPageReply;
import org.sediment.common.api.ssd.MultiPageRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.Tier;
import org.sediment.router.ssd.ReplicaBoard;

/**
 * The memory tier as the client sees it (DESIGN §4): newest pages are asked of the nodes of the
 * timeline's memory group in random order, and of the SSD tier when none answers, so a lost,
 * restarting or emptied memory node fails no read. A memory node speaks the SSD tier's page
 * calls and checks every cached version with the SSD tier before answering, so its pages are as
 * fresh as the SSD tier's. Older pages and gets go to the SSD tier: the memory tier caches only
 * the newest page of each timeline. Nodes that stop answering are avoided and probed on the
 * shared {@link ReplicaBoard}, as SSD replicas are.
 */
final class MemoryTier implements TierReader {
    /**
     * How long a memory node may take: well under the SSD tier's call timeout, so a node that
     * hangs costs a read this much before the SSD tier answers it, and is then avoided.
     */
    static final long TIMEOUT_MS = 500;
    /** The deepest page memory nodes keep by default: deeper reads go to the SSD tier at once. */
    static final int MAX_PAGE_ITEMS = 100;

    private final RpcClient rpc;
    private final TierReader ssd;
    private final ReplicaBoard board;
    private final long timeoutMs;
    /** Reads no memory node answered, served by the SSD tier instead. */
    final LongAdder fellBack = new LongAdder();

    MemoryTier(RpcClient rpc, TierReader ssd, ReplicaBoard board, long timeoutMs) {
        this.rpc = rpc;
        this.ssd = ssd;
        this.board = board;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public CompletableFuture<PageReply> page(RouteConfig routes, int group, PageRequest request) {
        if (!request.fromNewest() || request.limit() > MAX_PAGE_ITEMS) {
            return ssd.page(routes, group, request);
        }
        return ask(routes, nodes(routes, group), 0, SsdApi.PAGE, request, () -> ssd.page(routes, group, request));
    }

    @Override
    public CompletableFuture<MultiPageReply> pages(RouteConfig routes, int group, MultiPageRequest request) {
        if (!request.pages().stream().allMatch(p -> p.fromNewest() && p.limit() <= MAX_PAGE_ITEMS)) {
            return ssd.pages(routes, group, request);
        }
        return ask(routes, nodes(routes, group), 0, SsdApi.MULTI_PAGE, request, () -> ssd.pages(routes, group, request));
    }

    @Override
    public CompletableFuture<GetReply> get(RouteConfig routes, int group, GetRequest request) {
        return ssd.get(routes, group, request);
    }

    @Override
    public CompletableFuture<MultiGetReply> gets(RouteConfig routes, int group, MultiGetRequest request) {
        return ssd.gets(routes, group, request);
    }

    /** The group's nodes in random order, those the board avoids last. */
    private List<InetSocketAddress> nodes(RouteConfig routes, int group) {
        List<GroupRoute> groups = routes.groups(Tier.MEMORY);
        if (group >= groups.size()) {
            return List.of();
        }
        List<InetSocketAddress> healthy = new ArrayList<>();
        List<InetSocketAddress> avoided = new ArrayList<>();
        for (Member member : groups.get(group).members()) {
            InetSocketAddress address = new InetSocketAddress(member.host(), member.port());
            (board.avoided(address) ? avoided : healthy).add(address);
        }
        Collections.shuffle(healthy, ThreadLocalRandom.current());
        healthy.addAll(avoided);
        return healthy;
    }

    /** Asks {@code nodes[from]}, then the next on any failure; after the last, {@code otherwise}. */
    private <Q, R> CompletableFuture<R> ask(RouteConfig routes, List<InetSocketAddress> nodes, int from,
                                            RpcMethod<Q, R> method, Q request,
                                            java.util.function.Supplier<CompletableFuture<R>> otherwise) {
        if (from >= nodes.size()) {
            fellBack.increment();
            return otherwise.get();
        }
        InetSocketAddress node = nodes.get(from);
        return rpc.call(node, method, request, CallOptions.of(routes.version(), timeoutMs)).thenCompose(outcome -> {
            board.record(node, outcome);
            if (outcome instanceof RpcOutcome.Success<R> ok) {
                return CompletableFuture.completedFuture(ok.body());
            }
            return ask(routes, nodes, from + 1, method, request, otherwise);
        });
    }
}
