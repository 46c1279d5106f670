package org.sediment.ops;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.sediment.common.api.ssd.NodeStatus;
import org.sediment.common.api.ssd.NodeStatusRequest;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigParser;
import org.sediment.router.config.Tier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sediment status}: every group of the route document, each member's health and data. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each group of a cluster, its members and their health (voting, learner, down).")
final class StatusCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--routes", description = "the cluster's route document (default ${DEFAULT-VALUE})")
    Path routes = Path.of("data", "routes.yaml");

    @Option(names = "--timeout-ms", description = "how long to wait for each member (default ${DEFAULT-VALUE})")
    long timeoutMs = 1_000;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        RouteConfig config = RouteConfigParser.parse(routes);
        out.println("routes " + routes + ": version " + config.version() + ", " + config.groups(Tier.SSD).size()
                + " SSD groups, " + config.groups(Tier.MEMORY).size() + " memory groups, " + config.groups(Tier.HDD).size()
                + " HDD groups (reads of the newest window: "
                + Math.round(config.memoryTrafficRatio() * 100) + "% through memory)");
        int down = 0;
        try (RpcClient rpc = new RpcClient(RpcClientConfig.defaults().withConnectionsPerPeer(1).withIoThreads(1),
                SedimentClient.REGISTRY)) {
            out.printf("%-6s %-5s %-22s %-9s %7s %12s %10s%n", "tier", "group", "member", "health", "routes",
                    "data", "timelines");
            for (GroupRoute group : config.groups(Tier.SSD)) {
                int voting = 0;
                for (Member member : group.members()) {
                    CompletableFuture<RpcOutcome<NodeStatus>> call = rpc.call(
                            new InetSocketAddress(member.host(), member.port()), SsdApi.STATUS, new NodeStatusRequest(),
                            CallOptions.of(0, timeoutMs));
                    RpcOutcome<NodeStatus> outcome = call.get();
                    if (outcome instanceof RpcOutcome.Success<NodeStatus> s) {
                        NodeStatus st = s.body();
                        String health = switch (st.mode()) {
                            case "VOTING" -> "voting";
                            case "LEARNER" -> "learner";
                            case "STARTING" -> "starting";
                            default -> "down";
                        };
                        voting += health.equals("voting") ? 1 : 0;
                        out.printf("%-6s %-5d %-22s %-9s %7d %12s %10d%n", "ssd", group.id(), member.address(),
                                health, st.routeVersion(), bytes(st.dataBytes()), st.coreTimelines());
                    } else {
                        down++;
                        out.printf("%-6s %-5d %-22s %-9s %7s %12s %10s   (%s)%n", "ssd", group.id(), member.address(),
                                "down", "-", "-", "-", reason((RpcOutcome.Failure<NodeStatus>) outcome));
                    }
                }
                out.printf("%-6s %-5d %s%n", "", group.id(), voting * 2 > group.members().size()
                        ? "serving: " + voting + " of " + group.members().size() + " voting"
                        : "NOT SERVING: " + voting + " of " + group.members().size() + " voting (needs a majority)");
            }
            for (Tier tier : List.of(Tier.MEMORY, Tier.HDD)) {
                for (GroupRoute group : config.groups(tier)) {
                    for (Member member : group.members()) {
                        RpcOutcome<NodeStatus> outcome = rpc.call(new InetSocketAddress(member.host(), member.port()),
                                SsdApi.STATUS, new NodeStatusRequest(), CallOptions.of(0, timeoutMs)).get();
                        if (outcome instanceof RpcOutcome.Success<NodeStatus> s) {
                            out.printf("%-6s %-5d %-22s %-9s %7s %12s %10s%n", tier.key(), group.id(), member.address(),
                                    s.body().mode().toLowerCase(Locale.ROOT),
                                    tier == Tier.MEMORY ? Long.toString(s.body().routeVersion()) : "-",
                                    bytes(s.body().dataBytes()), "-");
                        } else {
                            // A memory node down loses nothing (reads go to its peers or the SSD tier);
                            // an HDD node down leaves its blocks to the two other replicas.
                            down++;
                            out.printf("%-6s %-5d %-22s %-9s %7s %12s %10s   (%s)%n", tier.key(), group.id(),
                                    member.address(), "down", "-", "-", "-", reason((RpcOutcome.Failure<NodeStatus>) outcome));
                        }
                    }
                }
            }
        }
        out.flush();
        return down == 0 ? 0 : 1;
    }

    private static String reason(RpcOutcome.Failure<NodeStatus> failure) {
        return switch (failure.code()) {
            case UNAVAILABLE -> "unreachable";
            case TIMEOUT -> "no answer within the timeout";
            default -> failure.code() + ": " + failure.detail();
        };
    }

    private static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 10 << 10) {
            return n + " B";
        }
        if (n < 10L << 20) {
            return (n >> 10) + " KiB";
        }
        return (n >> 20) + " MiB";
    }
}
