package org.sediment.ssd.node;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.sediment.common.host.SharedMemory;
import java.util.List;
import org.sediment.ssd.log.GroupCommitConfig;
import org.sediment.ssd.paxos.PaxosConfig;
import org.sediment.ssd.paxos.TimelineMachine;
import org.sediment.ssd.storage.SegmentPolicy;

/**
 * Everything one SSD node needs to run one replica of one Paxos group.
 *
 * @param groupId            the SSD group this node serves
 * @param nodeIndex          this node's place in {@code members}
 * @param members            every replica's client address, in group order (this node's included)
 * @param peers              every replica's peer address, in the same order: Paxos traffic, probes
 *                           and digests go there, never to a client address
 * @param peerKey            the key the group's replicas seal their Paxos traffic with
 * @param dataDir            log, store and identity live here
 * @param tickMillis         length of one Paxos core tick (its only unit of time)
 * @param checkpointMillis   how often the store is checkpointed and the log trimmed
 * @param requestTimeoutMs   how long a request waits for the core before answering TIMEOUT
 * @param versionCacheEntries capacity of the memory-mapped version cache
 * @param versionCacheFile   where that cache lives: in shared memory by default ({@link SharedMemory})
 * @param maxFrameBytes      largest frame between nodes and from clients
 * @param routesFile         the route config document the node follows (reloaded as it changes):
 *                           a client request older than its version is answered STALE_ROUTE with
 *                           the current one; null when the node is not told routes (no checks)
 * @param itemTsPastMillis   a write's item time may lie at most this far before the node's clock
 * @param itemTsFutureMillis and at most this far after it: beyond, the write is refused
 *                           ({@code BAD_FRAME}) before it reaches the core, so no client spreads a
 *                           timeline over segments of any week it likes
 */
public record NodeConfig(
        long groupId,
        int nodeIndex,
        List<InetSocketAddress> members,
        List<InetSocketAddress> peers,
        PeerKey peerKey,
        Path dataDir,
        SegmentPolicy segments,
        GroupCommitConfig log,
        PaxosConfig paxos,
        long tickMillis,
        long checkpointMillis,
        long requestTimeoutMs,
        long versionCacheEntries,
        Path versionCacheFile,
        int maxFrameBytes,
        Path routesFile,
        long itemTsPastMillis,
        long itemTsFutureMillis,
        int maxValueBytes) {

    public NodeConfig {
        members = List.copyOf(members);
        peers = List.copyOf(peers);
        require(peers.size() == members.size(), "peers (" + peers.size() + ") must list as many replicas as members ("
                + members.size() + ")");
        require(peerKey != null, "peerKey must be set");
        require(members.size() == paxos.groupSize(), "members (" + members.size()
                + ") must match the Paxos group size (" + paxos.groupSize() + ")");
        require(nodeIndex >= 0 && nodeIndex < members.size(), "nodeIndex " + nodeIndex + " outside the group");
        require(paxos.maxBatchOps() <= TimelineMachine.MAX_OPS_PER_ENTRY, "paxos maxBatchOps must be ≤ "
                + TimelineMachine.MAX_OPS_PER_ENTRY + " (append seqs number operations in 6 bits)");
        require(tickMillis >= 1, "tickMillis must be ≥ 1");
        require(checkpointMillis >= 10, "checkpointMillis must be ≥ 10");
        require(requestTimeoutMs >= 1, "requestTimeoutMs must be ≥ 1");
        require(versionCacheEntries >= 1024, "versionCacheEntries must be ≥ 1024");
        require(versionCacheFile != null, "versionCacheFile must be set");
        require(maxFrameBytes >= 64 * 1024, "maxFrameBytes must be ≥ 64 KiB");
        require(itemTsPastMillis >= 0 && itemTsFutureMillis >= 0, "itemTsPastMillis and itemTsFutureMillis must be ≥ 0");
        require(maxValueBytes >= 1 && maxValueBytes <= org.sediment.common.api.ssd.SsdApi.MAX_VALUE_BYTES,
                "maxValueBytes must be in [1, " + org.sediment.common.api.ssd.SsdApi.MAX_VALUE_BYTES + "]");
    }

    /**
     * Defaults for a node on this kind of machine: 5 ms ticks, so the core's timeouts are 200 ms
     * (RPC), 10-250 ms backoff, 100 ms catch-up retry; a checkpoint per second; 8 MiB frames.
     * A record waits up to 1 ms in the log for others to share its fsync: that halved the fsyncs
     * and lifted the load test from about 4,200 to about 5,000 appends/s (BENCHMARKS.md); idle,
     * it adds 1 ms. Under load, records that arrived during the last fsync do not wait again.
     * Catch-up tails keep 8 MiB of values per node, about 1.5 s of appends at 5,000/s of 1 KiB: a
     * replica further behind gets snapshots. The values are kept off the Java heap
     * ({@link OffHeapTailValues}); on the heap, 64 MiB tails had grown the heap kept after each
     * collection to 550 MB during the load test, against about 250 MB at 4 MiB. Each replica's
     * memtables are a different size ({@link SegmentPolicy#staggeredFor}), so the replicas of a
     * group do not all compact at once.
     */
    public static NodeConfig defaults(long groupId, int nodeIndex, List<InetSocketAddress> members,
                                      List<InetSocketAddress> peers, PeerKey peerKey, Path dataDir) {
        // Snapshot parts of 2 MiB of items: each fits a peer frame (8 MiB) with room to share it.
        // Idle timelines' core state: 100,000 kept, a few hundred MB at most.
        // readLimitItems 0: the node reads pages itself after a strong read's barrier (PaxosConfig).
        PaxosConfig paxos = new PaxosConfig(members.size(), 64, 4096, 6, 40, 2, 50, 64, 20, 256, 40, 8, 0, 1024, 40, 8L << 20,
                2 << 20, 100_000);
        return new NodeConfig(groupId, nodeIndex, members, peers, peerKey, dataDir, SegmentPolicy.weekly().staggeredFor(nodeIndex),
                defaultLog(),
                paxos, 5, 1000, 2000, 1 << 20, SharedMemory.placeFor(dataDir, "ssd-g" + groupId + "-n" + nodeIndex + ".versions"), 8 << 20, null,
                DEFAULT_ITEM_TS_PAST_MILLIS, DEFAULT_ITEM_TS_FUTURE_MILLIS, DEFAULT_MAX_VALUE_BYTES);
    }

    /**
     * A node's log: records of up to 32 MiB, batches of 4,096 records or 32 MiB, 1 ms linger, two
     * spare files. Records are small but for one: installing a snapshot logs the whole timeline
     * in one record, so 32 MiB is the most a timeline a replica relearns by snapshot may hold
     * (its snapshot travels in 2 MiB parts, {@link org.sediment.ssd.paxos.PaxosConfig#snapshotPartBytes}).
     */
    public static GroupCommitConfig defaultLog() {
        return new GroupCommitConfig(32 << 20, 4096, 32 << 20, 64L << 20, 64L << 20, 1_000, 2);
    }

    /**
     * By default items may be written with any past time (archives are imported) and up to one
     * day ahead of the node's clock.
     */
    public static final long DEFAULT_ITEM_TS_PAST_MILLIS = Long.MAX_VALUE;
    public static final long DEFAULT_ITEM_TS_FUTURE_MILLIS = 86_400_000L;
    /** The largest item value a write may carry (DESIGN §1), the same limit the SDK and the HTTP API enforce. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 64 << 10;

    public InetSocketAddress address() {
        return members.get(nodeIndex);
    }

    /** Where this node listens to its peers. */
    public InetSocketAddress peerAddress() {
        return peers.get(nodeIndex);
    }

    public NodeConfig withRequestTimeoutMs(long timeoutMs) {
        return new NodeConfig(groupId, nodeIndex, members, peers, peerKey, dataDir, segments, log, paxos, tickMillis,
                checkpointMillis,
                timeoutMs, versionCacheEntries, versionCacheFile, maxFrameBytes, routesFile, itemTsPastMillis,
                itemTsFutureMillis, maxValueBytes);
    }

    public NodeConfig withSegments(SegmentPolicy policy) {
        return new NodeConfig(groupId, nodeIndex, members, peers, peerKey, dataDir, policy, log, paxos, tickMillis,
                checkpointMillis, requestTimeoutMs, versionCacheEntries, versionCacheFile, maxFrameBytes, routesFile,
                itemTsPastMillis, itemTsFutureMillis, maxValueBytes);
    }

    public NodeConfig withMaxValueBytes(int bytes) {
        return new NodeConfig(groupId, nodeIndex, members, peers, peerKey, dataDir, segments, log, paxos, tickMillis,
                checkpointMillis, requestTimeoutMs, versionCacheEntries, versionCacheFile, maxFrameBytes, routesFile,
                itemTsPastMillis, itemTsFutureMillis, bytes);
    }

    public NodeConfig withRoutesFile(Path file) {
        return new NodeConfig(groupId, nodeIndex, members, peers, peerKey, dataDir, segments, log, paxos, tickMillis,
                checkpointMillis,
                requestTimeoutMs, versionCacheEntries, versionCacheFile, maxFrameBytes, file, itemTsPastMillis,
                itemTsFutureMillis, maxValueBytes);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
