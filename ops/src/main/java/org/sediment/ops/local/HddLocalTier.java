package org.sediment.ops.local;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sediment.hdd.node.HddNode;
import org.sediment.hdd.node.HddNodeConfig;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.Tier;

/**
 * The HDD tier of a local cluster: one group of three nodes (one per campus) in this JVM, each
 * with {@link #DISKS} disk directories under {@code dir/hdd/node-n/disk-d}. Node {@code n}
 * serves on {@code base + 400 + n}.
 */
final class HddLocalTier implements LocalTier {
    static final int PORT_OFFSET = 400;
    static final int NODES = 3;
    static final int DISKS = 2;
    private static final String[] CAMPUSES = {"a", "b", "c"};

    private final Path dir;
    private final int basePort;
    private final List<HddNode> nodes = new ArrayList<>();

    HddLocalTier(Path dir, int basePort) {
        this.dir = dir.resolve("hdd");
        this.basePort = basePort;
    }

    private int port(int node) {
        return basePort + PORT_OFFSET + node;
    }

    @Override
    public Map<Tier, List<GroupRoute>> groups() {
        List<Member> members = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            members.add(new Member("127.0.0.1", port(n), CAMPUSES[n]));
        }
        return Map.of(Tier.HDD, List.of(new GroupRoute(0, members)));
    }

    @Override
    public void start(Path routesFile) {
        for (int n = 0; n < NODES; n++) {
            List<Path> disks = new ArrayList<>();
            for (int d = 0; d < DISKS; d++) {
                disks.add(dir.resolve("node-" + n).resolve("disk-" + d));
            }
            List<InetSocketAddress> peers = new ArrayList<>();
            for (int p = 0; p < NODES; p++) {
                if (p != n) {
                    peers.add(new InetSocketAddress("127.0.0.1", port(p)));
                }
            }
            nodes.add(HddNode.start(new HddNodeConfig(0, n, new InetSocketAddress("127.0.0.1", port(n)), disks, peers)));
        }
    }

    List<HddNode> nodes() {
        return nodes;
    }

    @Override
    public List<String> describe() {
        StringBuilder line = new StringBuilder("HDD group 0:");
        for (int n = 0; n < NODES; n++) {
            line.append(" 127.0.0.1:").append(port(n));
        }
        return List.of(line.append(" (").append(DISKS).append(" disks each, ").append(dir).append(")").toString());
    }

    @Override
    public void close() {
        nodes.forEach(HddNode::close);
    }
}
