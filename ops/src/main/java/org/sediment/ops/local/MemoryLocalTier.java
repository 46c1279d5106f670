package org.sediment.ops.local;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sediment.common.host.SharedMemory;
import org.sediment.memory.node.MemoryNode;
import org.sediment.memory.node.MemoryNodeConfig;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.Tier;

/**
 * The memory tier of a local cluster: one memory group per SSD group, of {@code nodesPerGroup}
 * nodes inside this JVM. Node {@code n} of group {@code g} serves on {@code base + 300 + 10g + n};
 * its cache lives in shared memory ({@link SharedMemory}), named after {@code dir}, so a restart
 * of the cluster finds it again.
 */
final class MemoryLocalTier implements LocalTier {
    static final int PORT_OFFSET = 300;
    static final long BUDGET_BYTES = 256L << 20;

    private final Path dir;
    private final int groupCount;
    private final int nodesPerGroup;
    private final int basePort;
    private final List<MemoryNode> nodes = new ArrayList<>();
    private final List<Path> caches = new ArrayList<>();

    MemoryLocalTier(Path dir, int groupCount, int nodesPerGroup, int basePort) {
        if (nodesPerGroup < 1 || nodesPerGroup > 9) {
            throw new IllegalArgumentException("a local memory group has 1 to 9 nodes, not " + nodesPerGroup);
        }
        this.dir = dir.resolve("memory");
        this.groupCount = groupCount;
        this.nodesPerGroup = nodesPerGroup;
        this.basePort = basePort;
    }

    private int port(int group, int node) {
        return basePort + PORT_OFFSET + 10 * group + node;
    }

    @Override
    public Map<Tier, List<GroupRoute>> groups() {
        List<GroupRoute> groups = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            List<Member> members = new ArrayList<>();
            for (int n = 0; n < nodesPerGroup; n++) {
                members.add(new Member("127.0.0.1", port(g, n), "a"));
            }
            groups.add(new GroupRoute(g, members));
        }
        return Map.of(Tier.MEMORY, groups);
    }

    @Override
    public void start(Path routesFile) {
        for (int g = 0; g < groupCount; g++) {
            for (int n = 0; n < nodesPerGroup; n++) {
                Path cache = SharedMemory.placeFor(dir.resolve("group-" + g).resolve("node-" + n), "memory-g" + g + "-n" + n);
                caches.add(cache);
                nodes.add(MemoryNode.start(MemoryNodeConfig.of(g, n, new InetSocketAddress("127.0.0.1", port(g, n)),
                        routesFile, cache, BUDGET_BYTES)));
            }
        }
    }

    @Override
    public List<Path> sharedMemory() {
        return List.copyOf(caches);
    }

    List<MemoryNode> nodes() {
        return nodes;
    }

    @Override
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            StringBuilder line = new StringBuilder("memory group " + g + ":");
            for (int n = 0; n < nodesPerGroup; n++) {
                line.append(" 127.0.0.1:").append(port(g, n));
            }
            lines.add(line.append(" (").append(BUDGET_BYTES >> 20).append(" MiB each)").toString());
        }
        return lines;
    }

    @Override
    public void close() {
        for (MemoryNode node : nodes) {
            node.close();
        }
    }
}
