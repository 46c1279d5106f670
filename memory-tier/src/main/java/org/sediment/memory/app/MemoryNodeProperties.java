package org.sediment.memory.app;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.sediment.common.host.SharedMemory;
import org.sediment.memory.node.MemoryNodeConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A memory node's settings, under {@code sediment.memory} (application.yaml, command line
 * {@code --sediment.memory.node=1}, or environment). Unset values take the defaults of
 * {@link MemoryNodeConfig#of}.
 *
 * @param group       the memory group, which is the SSD group whose timelines it caches
 * @param node        this node's index in its group
 * @param address     where it serves, "host:port"
 * @param routesFile  the route document to follow: where the SSD group's replicas are
 * @param dataDir     the node's directory; the cache itself goes to shared memory named after it
 * @param budgetMib   the cache's memory, in MiB (default 256)
 * @param chains      how many LRU chains split it (default 32)
 * @param pageDepth   the most items of a timeline's newest page the node caches (default 100)
 */
@ConfigurationProperties("sediment.memory")
public record MemoryNodeProperties(int group, int node, String address, Path routesFile, Path dataDir, long budgetMib,
                                   int chains, int pageDepth) {

    public MemoryNodeConfig toNodeConfig() {
        if (address == null || routesFile == null || dataDir == null) {
            throw new IllegalArgumentException("sediment.memory.address, routes-file and data-dir must be set");
        }
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("sediment.memory.address must be host:port, got " + address);
        }
        InetSocketAddress bind = new InetSocketAddress(address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)));
        Path cache = SharedMemory.placeFor(dataDir, "memory-g" + group + "-n" + node);
        MemoryNodeConfig defaults = MemoryNodeConfig.of(group, node, bind, routesFile, cache,
                (budgetMib > 0 ? budgetMib : 256) << 20);
        return new MemoryNodeConfig(group, node, bind, routesFile, cache, defaults.budgetBytes(),
                chains > 0 ? chains : defaults.chains(), pageDepth > 0 ? pageDepth : defaults.pageDepth(),
                defaults.maxBatch(), defaults.maxChecksInFlight(), true);
    }
}
