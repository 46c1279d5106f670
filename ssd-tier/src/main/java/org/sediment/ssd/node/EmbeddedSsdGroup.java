package org.sediment.ssd.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A whole SSD group inside one JVM on loopback ports: for tests, benchmarks and the local
 * cluster. Nodes can be killed, restarted on the same port and data directory, or restarted
 * with their directory wiped (a lost disk).
 */
public final class EmbeddedSsdGroup implements AutoCloseable {
    private final List<NodeConfig> configs;
    private final SsdNode[] nodes;

    private EmbeddedSsdGroup(List<NodeConfig> configs) {
        this.configs = configs;
        this.nodes = new SsdNode[configs.size()];
    }

    /**
     * Starts {@code size} nodes of group {@code groupId} under {@code baseDir/node-i}, waits until
     * all serve. {@code tune} adjusts each node's config (e.g. shorter checkpoints in tests).
     */
    public static EmbeddedSsdGroup start(long groupId, int size, Path baseDir, UnaryOperator<NodeConfig> tune)
            throws Exception {
        int[] ports = freePorts(2 * size);
        List<InetSocketAddress> members = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(new InetSocketAddress("127.0.0.1", ports[2 * i]));
            peers.add(new InetSocketAddress("127.0.0.1", ports[2 * i + 1]));
        }
        PeerKey key = PeerKey.generate();
        List<NodeConfig> configs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            configs.add(tune.apply(NodeConfig.defaults(groupId, i, members, peers, key, baseDir.resolve("node-" + i))));
        }
        return start(configs);
    }

    /** Starts one node per config (the replicas of one group, in node-index order) and waits until all serve. */
    public static EmbeddedSsdGroup start(List<NodeConfig> configs) throws Exception {
        int size = configs.size();
        EmbeddedSsdGroup group = new EmbeddedSsdGroup(List.copyOf(configs));
        for (int i = 0; i < size; i++) {
            group.nodes[i] = SsdNode.start(configs.get(i));
        }
        for (SsdNode node : group.nodes) {
            node.awaitReady(60_000);
        }
        return group;
    }

    public List<InetSocketAddress> addresses() {
        return configs.getFirst().members();
    }

    public SsdNode node(int index) {
        return nodes[index];
    }

    public int size() {
        return nodes.length;
    }

    /** Hard stop: unsynced log records are lost, connections drop. */
    public void kill(int index) {
        nodes[index].kill();
    }

    /** Starts a stopped node again on its port and data directory. */
    public SsdNode restart(int index) {
        nodes[index] = SsdNode.start(configs.get(index));
        return nodes[index];
    }

    /** Deletes a stopped node's data directory (a lost disk), then starts it. */
    public SsdNode restartWiped(int index) {
        deleteRecursively(configs.get(index).dataDir());
        return restart(index);
    }

    @Override
    public void close() {
        for (SsdNode node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    /**
     * {@code count} distinct free ports: all probe sockets stay open until every port is chosen,
     * so the system cannot hand the same port out twice (one closed at once may come back).
     */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> open = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                open.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : open) {
                socket.close();
            }
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
