package org.sediment.ssd.app;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sediment.ssd.node.NodeConfig;
import org.sediment.ssd.storage.SegmentPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * An SSD node's settings, under {@code sediment.ssd} (application.yaml, command line
 * {@code --sediment.ssd.node-index=1}, or environment). Unset values take the
 * {@link NodeConfig#defaults} of this machine class.
 *
 * @param groupId          the SSD group served
 * @param nodeIndex        this node's place in {@code members}
 * @param members          every replica's data-plane address "host:port", in group order
 * @param dataDir          where the log, store and caches live
 * @param segmentDays      length of a time segment in days (0 = default, one week)
 * @param checkpointMillis how often the store is checkpointed (0 = default)
 * @param versionCacheFile where the version cache lives (default: in shared memory, {@code /dev/shm})
 * @param routesFile       the route config document to follow (optional: without it, requests'
 *                         route versions are not checked)
 */
@ConfigurationProperties("sediment.ssd")
public record SsdNodeProperties(long groupId, int nodeIndex, List<String> members, Path dataDir, int segmentDays,
                                long checkpointMillis, Path versionCacheFile, Path routesFile) {

    public SsdNodeProperties {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("sediment.ssd.members must list every replica's host:port");
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("sediment.ssd.data-dir must be set");
        }
    }

    NodeConfig toNodeConfig() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String member : members) {
            int colon = member.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("member '" + member + "' is not host:port");
            }
            addresses.add(new InetSocketAddress(member.substring(0, colon), Integer.parseInt(member.substring(colon + 1))));
        }
        NodeConfig defaults = NodeConfig.defaults(groupId, nodeIndex, addresses, dataDir);
        SegmentPolicy segments = segmentDays <= 0 ? defaults.segments() : new SegmentPolicy(segmentDays * 86_400_000L,
                defaults.segments().hotSegments(), defaults.segments().hotBlockBytes(), defaults.segments().coldBlockBytes(),
                defaults.segments().hotCompression(), defaults.segments().coldCompression(),
                defaults.segments().writeBufferBytes(), defaults.segments().blockCacheBytes(),
                defaults.segments().separateValuesFromBytes());
        return new NodeConfig(groupId, nodeIndex, addresses, dataDir, segments, defaults.log(), defaults.paxos(),
                defaults.tickMillis(), checkpointMillis > 0 ? checkpointMillis : defaults.checkpointMillis(),
                defaults.requestTimeoutMs(), defaults.versionCacheEntries(),
                versionCacheFile != null ? versionCacheFile : defaults.versionCacheFile(), defaults.maxFrameBytes(),
                routesFile);
    }
}
