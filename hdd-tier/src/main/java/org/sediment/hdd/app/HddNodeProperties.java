package org.sediment.hdd.app;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sediment.hdd.node.HddNodeConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * An HDD node's settings, under {@code sediment.hdd} (application.yaml, command line
 * {@code --sediment.hdd.node=1}, or environment).
 *
 * @param group   the HDD group
 * @param node    this node's index in its group
 * @param address where it serves, "host:port"
 * @param disks   its disk directories, one per disk, in the group's disk order
 * @param peers   the other nodes of the group, "host:port" each: where repairs copy from
 */
@ConfigurationProperties("sediment.hdd")
public record HddNodeProperties(int group, int node, String address, List<Path> disks, List<String> peers) {

    public HddNodeConfig toNodeConfig() {
        if (address == null || disks == null || disks.isEmpty()) {
            throw new IllegalArgumentException("sediment.hdd.address and sediment.hdd.disks must be set");
        }
        List<InetSocketAddress> others = new ArrayList<>();
        for (String peer : peers == null ? List.<String>of() : peers) {
            others.add(parse(peer));
        }
        return new HddNodeConfig(group, node, parse(address), disks, others);
    }

    private static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("an address is host:port, got " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
