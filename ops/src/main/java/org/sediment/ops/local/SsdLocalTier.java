package org.sediment.ops.local;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sediment.ops.load.SsdNodeProcesses;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.Tier;
import org.sediment.ssd.node.EmbeddedSsdGroup;
import org.sediment.ssd.node.NodeConfig;
import org.sediment.ssd.node.PeerKey;

/**
 * The SSD tier of a local cluster: {@code groups} Paxos groups of three replicas on loopback,
 * inside this JVM or one {@code ssd-node} process each. Ports are fixed by the layout (group
 * {@code g}, replica {@code r}: client port {@code base + 10g + r}, peer port {@code base + 100 +
 * 10g + r}, a process's actuator port {@code base + 200 + 10g + r}), so a restart finds the same
 * cluster; data lives in {@code dir/ssd/group-g/node-r/data}, the same for both modes, and each
 * group's peer key in {@code dir/ssd/group-g/peer.key}.
 */
final class SsdLocalTier implements LocalTier {
    static final int REPLICAS = 3;
    static final int MAX_GROUPS = 10;
    private static final String[] CAMPUSES = {"a", "b", "c"};

    private final Path dir;
    private final int groupCount;
    private final int basePort;
    private final boolean processes;
    private final List<EmbeddedSsdGroup> embedded = new ArrayList<>();
    private final List<SsdNodeProcesses> children = new ArrayList<>();
    private final List<Path> versionCaches = new ArrayList<>();

    SsdLocalTier(Path dir, int groupCount, int basePort, boolean processes) {
        if (groupCount < 1 || groupCount > MAX_GROUPS) {
            throw new IllegalArgumentException("a local cluster has 1 to " + MAX_GROUPS + " SSD groups, not " + groupCount);
        }
        this.dir = dir.resolve("ssd");
        this.groupCount = groupCount;
        this.basePort = basePort;
        this.processes = processes;
    }

    int clientPort(int group, int replica) {
        return basePort + 10 * group + replica;
    }

    private int peerPort(int group, int replica) {
        return basePort + 100 + 10 * group + replica;
    }

    private int httpPort(int group, int replica) {
        return basePort + 200 + 10 * group + replica;
    }

    @Override
    public Map<Tier, List<GroupRoute>> groups() {
        List<GroupRoute> groups = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            List<Member> members = new ArrayList<>();
            for (int r = 0; r < REPLICAS; r++) {
                members.add(new Member("127.0.0.1", clientPort(g, r), CAMPUSES[r]));
            }
            groups.add(new GroupRoute(g, members));
        }
        return Map.of(Tier.SSD, groups);
    }

    @Override
    public void start(Path routesFile) throws Exception {
        for (int g = 0; g < groupCount; g++) {
            Path groupDir = dir.resolve("group-" + g);
            Files.createDirectories(groupDir);
            Path keyFile = groupDir.resolve("peer.key");
            if (!Files.exists(keyFile)) {
                PeerKey.generate().write(keyFile);
            }
            List<InetSocketAddress> members = new ArrayList<>();
            List<InetSocketAddress> peers = new ArrayList<>();
            List<Integer> httpPorts = new ArrayList<>();
            for (int r = 0; r < REPLICAS; r++) {
                members.add(new InetSocketAddress("127.0.0.1", clientPort(g, r)));
                peers.add(new InetSocketAddress("127.0.0.1", peerPort(g, r)));
                httpPorts.add(httpPort(g, r));
            }
            PeerKey key = PeerKey.read(keyFile);
            List<NodeConfig> configs = new ArrayList<>();
            for (int r = 0; r < REPLICAS; r++) {
                configs.add(NodeConfig.defaults(g, r, members, peers, key, groupDir.resolve("node-" + r).resolve("data"))
                        .withRoutesFile(routesFile));
                versionCaches.add(configs.getLast().versionCacheFile()); // a process places its own the same way
            }
            if (processes) {
                children.add(SsdNodeProcesses.start(g, members, peers, httpPorts, groupDir, routesFile, List.of()));
            } else {
                embedded.add(EmbeddedSsdGroup.start(configs));
            }
        }
    }

    /** The nodes running in this JVM (none with {@code --processes}: those report on their own actuator ports). */
    List<org.sediment.ssd.node.SsdNode> embeddedNodes() {
        List<org.sediment.ssd.node.SsdNode> nodes = new ArrayList<>();
        for (EmbeddedSsdGroup group : embedded) {
            for (int r = 0; r < group.size(); r++) {
                nodes.add(group.node(r));
            }
        }
        return nodes;
    }

    /** The processes of group {@code group} ({@code --processes} only), e.g. to kill one. */
    SsdNodeProcesses processes(int group) {
        return children.get(group);
    }

    @Override
    public List<Path> sharedMemory() {
        return List.copyOf(versionCaches);
    }

    @Override
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            StringBuilder line = new StringBuilder("SSD group " + g + ":");
            for (int r = 0; r < REPLICAS; r++) {
                line.append(" 127.0.0.1:").append(clientPort(g, r));
                if (processes) {
                    line.append(" (pid ").append(children.get(g).pid(r)).append(", actuator :").append(httpPort(g, r))
                            .append(")");
                }
            }
            lines.add(line.toString());
        }
        lines.add("SSD data: " + dir);
        return lines;
    }

    @Override
    public void close() {
        for (EmbeddedSsdGroup group : embedded) {
            group.close();
        }
        for (SsdNodeProcesses group : children) {
            group.close();
        }
    }
}
