package org.sediment.router.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sediment.common.api.ssd.GetReply;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.MultiGetReply;
import org.sediment.common.api.ssd.MultiGetRequest;
import org.sediment.common.api.ssd.MultiPageReply;
import org.sediment.common.api.ssd.MultiPageRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.rpc.RpcClient;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.Tier;
import org.sediment.router.ssd.ReplicaBoard;
import org.sediment.router.ssd.SsdCallPolicy;
import org.sediment.router.ssd.SsdGroupClient;

/**
 * The SSD tier as the client sees it: one {@link SsdGroupClient} per group of a route version,
 * rebuilt when the routes change. A group whose members did not change keeps its client's
 * latency window (the hedging delay); what the client learned of each replica's health lives on
 * the shared {@link ReplicaBoard}.
 */
final class SsdTier implements TierReader {

    private record Groups(RouteConfig routes, SsdGroupClient[] clients) {
    }

    private final RpcClient rpc;
    private final SsdCallPolicy policy;
    private final ReplicaBoard board;
    private volatile Groups groups;

    SsdTier(RpcClient rpc, SsdCallPolicy policy, ReplicaBoard board) {
        this.rpc = rpc;
        this.policy = policy;
        this.board = board;
    }

    SsdGroupClient group(RouteConfig routes, int group) {
        Groups now = groups;
        if (now == null || now.routes != routes) {
            now = rebuild(routes);
        }
        return now.clients[group];
    }

    private synchronized Groups rebuild(RouteConfig routes) {
        Groups now = groups;
        if (now != null && now.routes == routes) {
            return now;
        }
        if (now != null && now.routes.version() > routes.version()) {
            return build(routes, Map.of()); // an older config still in use by a call in flight
        }
        Map<List<InetSocketAddress>, SsdGroupClient> known = new HashMap<>();
        if (now != null) {
            for (SsdGroupClient client : now.clients) {
                known.put(client.replicas(), client);
            }
        }
        Groups built = build(routes, known);
        groups = built;
        return built;
    }

    private Groups build(RouteConfig routes, Map<List<InetSocketAddress>, SsdGroupClient> known) {
        List<GroupRoute> ssd = routes.groups(Tier.SSD);
        SsdGroupClient[] clients = new SsdGroupClient[ssd.size()];
        for (GroupRoute group : ssd) {
            List<InetSocketAddress> replicas = new ArrayList<>(group.members().size());
            for (Member member : group.members()) {
                replicas.add(new InetSocketAddress(member.host(), member.port()));
            }
            SsdGroupClient earlier = known.get(replicas);
            clients[group.id()] = earlier != null ? earlier.withRouteVersion(routes.version())
                    : new SsdGroupClient(replicas, rpc, routes.version(), policy, board);
        }
        return new Groups(routes, clients);
    }

    CompletableFuture<WriteReply> write(RouteConfig routes, int group, WriteRequest request) {
        return group(routes, group).writeAsync(request);
    }

    @Override
    public CompletableFuture<PageReply> page(RouteConfig routes, int group, PageRequest request) {
        return group(routes, group).pageAsync(request);
    }

    @Override
    public CompletableFuture<MultiPageReply> pages(RouteConfig routes, int group, MultiPageRequest request) {
        return group(routes, group).callAsync(request.pages().getFirst().timeline(), SsdApi.MULTI_PAGE, request);
    }

    @Override
    public CompletableFuture<GetReply> get(RouteConfig routes, int group, GetRequest request) {
        return group(routes, group).getAsync(request);
    }

    @Override
    public CompletableFuture<MultiGetReply> gets(RouteConfig routes, int group, MultiGetRequest request) {
        return group(routes, group).callAsync(request.gets().getFirst().timeline(), SsdApi.MULTI_GET, request);
    }
}
