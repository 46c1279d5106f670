package org.sediment.ssd.app;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.iq80.leveldb.CompressionType;
import org.sediment.ssd.node.NodeConfig;
import org.sediment.ssd.node.PeerKey;
import org.sediment.ssd.storage.SegmentPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * An SSD node's settings, under {@code sediment.ssd} (application.yaml, command line
 * {@code --sediment.ssd.node-index=1}, or environment). Unset values take the
 * {@link NodeConfig#defaults} of this machine class.
 *
 * @param groupId          the SSD group served
 * @param nodeIndex        this node's place in {@code members}
 * @param members          every replica's client address "host:port", in group order
 * @param peers            every replica's peer address "host:port", in the same order: where the
 *                         replicas talk Paxos to each other, never a client address
 * @param itemTsPastDays   writes of items older than this many days are refused (0: any past time)
 * @param itemTsFutureDays and of items newer than this many days ahead (0: one day)
 * @param peerKeyFile      the file holding the group's peer key (64 hex digits, the same file on
 *                         every replica; {@code bin/sediment peer-key FILE} makes one)
 * @param dataDir          where the log, store and caches live
 * @param segments         the time-segment policy ({@code sediment.ssd.segments.*}); unset parts
 *                         keep the defaults
 * @param checkpointMillis how often the store is checkpointed (0 = default)
 * @param versionCacheFile where the version cache lives (default: in shared memory, {@code /dev/shm})
 * @param routesFile       the route config document to follow (optional: without it, requests'
 *                         route versions are not checked)
 * @param maxValueBytes    the largest item value a write may carry (0: 64 KiB)
 */
@ConfigurationProperties("sediment.ssd")
public record SsdNodeProperties(long groupId, int nodeIndex, List<String> members, List<String> peers,
                                Path peerKeyFile, Path dataDir, Segments segments, long checkpointMillis,
                                Path versionCacheFile, Path routesFile, long itemTsPastDays, long itemTsFutureDays,
                                int maxValueBytes) {

    /**
     * {@code sediment.ssd.segments.*}; each unset (or 0) value keeps {@link SegmentPolicy#weekly}'s.
     *
     * @param days              length of one segment's time window, in days
     * @param hotSegments       how many of the newest windows are hot (small blocks, values beside LevelDB)
     * @param hotBlockBytes     LevelDB block size of hot segments
     * @param coldBlockBytes    LevelDB block size of older segments
     * @param hotCompression    compression of hot segments ({@code NONE} or {@code SNAPPY})
     * @param coldCompression   compression of older segments
     * @param writeBufferBytes  memtable size of each segment of replica 0 (later replicas' are
     *                          staggered larger, see {@link SegmentPolicy#staggeredFor})
     * @param blockCacheBytes   block cache of each segment
     * @param separateValuesFromBytes hot segments keep values of this size or more in their value log
     * @param maxOpenSegments   item segments open at once, at most (at least {@code hotSegments + 4});
     *                          the least recently used closes when another must open
     */
    public record Segments(int days, int hotSegments, int hotBlockBytes, int coldBlockBytes,
                           CompressionType hotCompression, CompressionType coldCompression, int writeBufferBytes,
                           long blockCacheBytes, int separateValuesFromBytes, int maxOpenSegments) {

        static final Segments DEFAULTS = new Segments(0, 0, 0, 0, null, null, 0, 0, 0, 0);

        SegmentPolicy over(SegmentPolicy base) {
            return new SegmentPolicy(days > 0 ? days * 86_400_000L : base.segmentMillis(),
                    hotSegments > 0 ? hotSegments : base.hotSegments(),
                    hotBlockBytes > 0 ? hotBlockBytes : base.hotBlockBytes(),
                    coldBlockBytes > 0 ? coldBlockBytes : base.coldBlockBytes(),
                    hotCompression != null ? hotCompression : base.hotCompression(),
                    coldCompression != null ? coldCompression : base.coldCompression(),
                    writeBufferBytes > 0 ? writeBufferBytes : base.writeBufferBytes(),
                    blockCacheBytes > 0 ? blockCacheBytes : base.blockCacheBytes(),
                    separateValuesFromBytes > 0 ? separateValuesFromBytes : base.separateValuesFromBytes(),
                    maxOpenSegments > 0 ? maxOpenSegments : base.maxOpenSegments());
        }
    }

    public SsdNodeProperties {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("sediment.ssd.members must list every replica's host:port");
        }
        if (peers == null || peers.size() != members.size()) {
            throw new IllegalArgumentException("sediment.ssd.peers must list every replica's peer host:port, as many as "
                    + "sediment.ssd.members (" + members.size() + ")");
        }
        if (peerKeyFile == null) {
            throw new IllegalArgumentException("sediment.ssd.peer-key-file must name the group's peer key file "
                    + "(bin/sediment peer-key FILE makes one)");
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("sediment.ssd.data-dir must be set");
        }
        if (segments == null) {
            segments = Segments.DEFAULTS;
        }
    }

    NodeConfig toNodeConfig() {
        List<InetSocketAddress> addresses = addresses(members, "member");
        List<InetSocketAddress> peerAddresses = addresses(peers, "peer");
        NodeConfig defaults = NodeConfig.defaults(groupId, nodeIndex, addresses, peerAddresses, PeerKey.read(peerKeyFile),
                dataDir);
        SegmentPolicy segmentPolicy = segments.over(SegmentPolicy.weekly()).staggeredFor(nodeIndex);
        return new NodeConfig(groupId, nodeIndex, addresses, peerAddresses, defaults.peerKey(), dataDir, segmentPolicy,
                defaults.log(), defaults.paxos(),
                defaults.tickMillis(), checkpointMillis > 0 ? checkpointMillis : defaults.checkpointMillis(),
                defaults.requestTimeoutMs(), defaults.versionCacheEntries(),
                versionCacheFile != null ? versionCacheFile : defaults.versionCacheFile(), defaults.maxFrameBytes(),
                routesFile, itemTsPastDays > 0 ? itemTsPastDays * 86_400_000L : defaults.itemTsPastMillis(),
                itemTsFutureDays > 0 ? itemTsFutureDays * 86_400_000L : defaults.itemTsFutureMillis(),
                maxValueBytes > 0 ? maxValueBytes : defaults.maxValueBytes());
    }

    private static List<InetSocketAddress> addresses(List<String> hostPorts, String what) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String hostPort : hostPorts) {
            int colon = hostPort.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException(what + " '" + hostPort + "' is not host:port");
            }
            addresses.add(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
        }
        return addresses;
    }
}
