package org.sediment.hdd.node;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * One HDD node: its place in its group, where it listens, its disks, one directory each,
 * numbered in the order given (the same numbering on every node of the group), and the other
 * nodes of its group, from which it repairs what it lost.
 */
public record HddNodeConfig(int group, int node, InetSocketAddress address, List<Path> disks,
                            List<InetSocketAddress> peers) {

    public HddNodeConfig {
        if (group < 0 || node < 0) {
            throw new IllegalArgumentException("group and node are ≥ 0, got " + group + " and " + node);
        }
        disks = List.copyOf(disks);
        peers = List.copyOf(peers);
        if (disks.isEmpty()) {
            throw new IllegalArgumentException("an HDD node needs at least one disk directory");
        }
    }
}
