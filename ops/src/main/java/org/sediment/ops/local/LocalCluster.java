package org.sediment.ops.local;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.sediment.common.api.ssd.ColdRoute;
import org.sediment.common.api.ssd.ColdRouteUpdate;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.block.BlockLayout;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.memory.node.MemoryNodeMetrics;
import org.sediment.router.client.ClientSettings;
import org.sediment.router.client.RouteSource;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigParser;
import org.sediment.router.config.RouteConfigWatcher;
import org.sediment.router.config.RouteConfigWriter;
import org.sediment.router.config.Tier;
import org.sediment.router.config.TimeSplits;
import org.sediment.router.http.HttpApiApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Sediment cluster on loopback, for trying it out and for end-to-end tests: every
 * registered {@link LocalTier}, the route document they and the clients follow
 * ({@code dir/routes.yaml}), an SDK client and the HTTP API. Restarting on the same directory
 * finds the same data. Closing stops the API, then the tiers.
 */
public final class LocalCluster implements AutoCloseable {

    /**
     * @param processes   run each replica as its own process (so one can be killed) instead of in this JVM
     * @param httpPort    0 for any free port
     * @param memoryNodes nodes per memory group (one group per SSD group), 0 for no memory tier
     */
    public record Options(Path dir, int ssdGroups, int basePort, int httpPort, boolean processes, int memoryNodes) {

        /** With the default memory tier: two nodes per group. */
        public Options(Path dir, int ssdGroups, int basePort, int httpPort, boolean processes) {
            this(dir, ssdGroups, basePort, httpPort, processes, 2);
        }
    }

    private final Options options;
    private final List<LocalTier> tiers = new ArrayList<>();
    private final SsdLocalTier ssd;
    private final MemoryLocalTier memory;
    private final HddLocalTier hdd;
    private RouteConfigWatcher watcher;
    private SedimentClient client;
    private ConfigurableApplicationContext http;

    private LocalCluster(Options options) {
        this.options = options;
        this.ssd = new SsdLocalTier(options.dir(), options.ssdGroups(), options.basePort(), options.processes());
        tiers.add(ssd);
        this.memory = options.memoryNodes() == 0 ? null
                : new MemoryLocalTier(options.dir(), options.ssdGroups(), options.memoryNodes(), options.basePort());
        if (memory != null) {
            tiers.add(memory);
        }
        this.hdd = new HddLocalTier(options.dir(), options.basePort());
        tiers.add(hdd);
    }

    public static LocalCluster start(Options options) throws Exception {
        LocalCluster cluster = new LocalCluster(options);
        try {
            cluster.boot();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void boot() throws Exception {
        Files.createDirectories(options.dir());
        Path routesFile = writeRoutes();
        for (LocalTier tier : tiers) {
            tier.start(routesFile);
        }
        publishColdRoutes(RouteConfigParser.parse(routesFile));
        watcher = new RouteConfigWatcher(routesFile, RouteConfigWatcher.DEFAULT_POLL);
        client = SedimentClient.builder(RouteSource.watching(watcher)).settings(ClientSettings.defaults()).build();
        SpringApplication app = HttpApiApplication.application(client);
        app.setRegisterShutdownHook(false); // closed by close(), before the tiers it calls
        List<org.sediment.ssd.node.SsdNode> nodes = ssd.embeddedNodes();
        if (!nodes.isEmpty()) {
            app.addInitializers(context -> {
                context.getBeanFactory().registerSingleton("ssdNodes", EmbeddedNodesReport.health(nodes));
                context.getBeanFactory().registerSingleton("ssdNodeMetrics", EmbeddedNodesReport.metrics(nodes));
            });
        }
        if (memory != null) {
            app.addInitializers(context -> context.getBeanFactory().registerSingleton("memoryNodeMetrics",
                    MemoryNodeMetrics.of(memory.nodes())));
        }
        http = app.run("--server.port=" + options.httpPort(), "--server.address=127.0.0.1");
    }

    /**
     * Tells every SSD replica where the HDD groups' replicas are, as the sinker does in a
     * deployment: reads of sunk data answer with those routes, so clients never need HDD routes.
     */
    private static void publishColdRoutes(RouteConfig routes) throws Exception {
        List<ColdRoute> cold = new ArrayList<>();
        for (GroupRoute group : routes.groups(Tier.HDD)) {
            cold.add(new ColdRoute(group.id(), group.members().stream()
                    .map(m -> m.host() + ":" + m.port()).toList()));
        }
        if (cold.isEmpty()) {
            return;
        }
        try (RpcClient rpc = new RpcClient(
                RpcClientConfig.defaults(), SedimentClient.REGISTRY)) {
            for (GroupRoute group : routes.groups(Tier.SSD)) {
                for (Member member : group.members()) {
                    RpcOutcome<?> outcome = rpc.call(
                            new InetSocketAddress(member.host(), member.port()),
                            SsdApi.UPDATE_COLD_ROUTES,
                            new ColdRouteUpdate(cold),
                            CallOptions.of(routes.version(), 30_000)).join();
                    if (outcome instanceof RpcOutcome.Failure<?> f) {
                        throw new IllegalStateException("SSD replica " + member.address() + " did not take the cold routes: "
                                + f.code() + " " + f.detail());
                    }
                }
            }
        }
    }

    /**
     * Writes the tiers' groups as {@code dir/routes.yaml}: version 1 on a new cluster; on a
     * restart the same version when nothing changed, else the next one.
     */
    private Path writeRoutes() throws Exception {
        Map<Tier, List<GroupRoute>> groups = new EnumMap<>(Tier.class);
        for (LocalTier tier : tiers) {
            tier.groups().forEach((t, g) -> groups.computeIfAbsent(t, k -> new ArrayList<>()).addAll(g));
        }
        Path file = options.dir().resolve("routes.yaml");
        long version = 1;
        RouteConfig candidate = routes(version, groups);
        if (Files.exists(file)) {
            RouteConfig existing = RouteConfigParser.parse(file);
            String same = RouteConfigWriter.toYaml(routes(existing.version(), groups));
            if (same.equals(RouteConfigWriter.toYaml(existing))) {
                return file;
            }
            candidate = routes(existing.version() + 1, groups);
        }
        Path temporary = options.dir().resolve("routes.yaml.tmp");
        Files.writeString(temporary, RouteConfigWriter.toYaml(candidate), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** With a memory tier, every read of the newest window goes through it. */
    private static RouteConfig routes(long version, Map<Tier, List<GroupRoute>> groups) {
        double memoryRatio = groups.getOrDefault(Tier.MEMORY, List.of()).isEmpty() ? 0.0 : 1.0;
        return new RouteConfig(version, BlockLayout.defaults(), groups,
                new TimeSplits(3L * 24 * 3600 * 1000, 90L * 24 * 3600 * 1000), memoryRatio);
    }

    /**
     * A base port whose client, peer and actuator ports for {@code ssdGroups} groups are all free
     * now: for clusters that must not collide with others on the machine (tests, load runs).
     */
    public static int freeBasePort(int ssdGroups) throws java.io.IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + 10 * java.util.concurrent.ThreadLocalRandom.current().nextInt(3_000);
            if (allFree(base, ssdGroups)) {
                return base;
            }
        }
        throw new java.io.IOException("no block of free ports found");
    }

    private static boolean allFree(int base, int ssdGroups) {
        for (int offset : new int[] {0, 100, 200, MemoryLocalTier.PORT_OFFSET, HddLocalTier.PORT_OFFSET}) {
            for (int g = 0; g < ssdGroups; g++) {
                for (int r = 0; r < SsdLocalTier.REPLICAS; r++) {
                    try (java.net.ServerSocket socket = new java.net.ServerSocket(base + offset + 10 * g + r, 1,
                            java.net.InetAddress.getLoopbackAddress())) {
                        socket.setReuseAddress(true);
                    } catch (java.io.IOException taken) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    public SedimentClient client() {
        return client;
    }

    /** The HTTP API's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort();
    }

    public int httpPort() {
        String port = http.getEnvironment().getProperty("local.server.port");
        return port == null ? options.httpPort() : Integer.parseInt(port);
    }

    public Path routesFile() {
        return options.dir().resolve("routes.yaml");
    }

    SsdLocalTier ssd() {
        return ssd;
    }

    /** Bytes the embedded SSD nodes' storage engines returned to page reads (0 with {@code processes}). */
    public long ssdStorePageBytesRead() {
        return ssd.embeddedNodes().stream().mapToLong(org.sediment.ssd.node.SsdNode::storePageBytesRead).sum();
    }

    /** The HDD tier's nodes: one group of three. */
    public List<org.sediment.hdd.node.HddNode> hddNodes() {
        return hdd.nodes();
    }

    /** The memory nodes, empty without a memory tier. */
    public List<org.sediment.memory.node.MemoryNode> memoryNodes() {
        return memory == null ? List.of() : memory.nodes();
    }

    /** The process id of replica {@code replica} of SSD group {@code group} (with {@code processes} only). */
    public long ssdProcessPid(int group, int replica) {
        return ssd.processes(group).pid(replica);
    }

    /**
     * What the tiers keep in shared memory, outside the cluster's directory: a caller that
     * deletes a throwaway cluster's directory deletes these too, once the cluster is closed.
     */
    public List<Path> sharedMemory() {
        List<Path> paths = new ArrayList<>();
        for (LocalTier tier : tiers) {
            paths.addAll(tier.sharedMemory());
        }
        return paths;
    }

    /** What to print once the cluster serves. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("HTTP API:   " + httpUrl() + "/v1/timelines/{owner}");
        lines.add("OpenAPI UI: " + httpUrl() + "/swagger-ui.html");
        lines.add("metrics:    " + httpUrl() + "/actuator/prometheus   health: " + httpUrl() + "/actuator/health");
        lines.add("routes:     " + routesFile());
        for (LocalTier tier : tiers) {
            lines.addAll(tier.describe());
        }
        return lines;
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (client != null) {
            client.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        for (int i = tiers.size() - 1; i >= 0; i--) {
            tiers.get(i).close();
        }
    }
}
