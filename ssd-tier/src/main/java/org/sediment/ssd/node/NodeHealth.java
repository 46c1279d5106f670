package org.sediment.ssd.node;

/**
 * A node's health at a glance, for actuator and operators.
 *
 * @param lostDiskAtStart the node found an empty or foreign data directory while its group held
 *                        data, and started learner-only
 * @param logSlowFsyncs   log fsyncs of 20 ms or more: a disk (or a pause) that alone spends a
 *                        write's latency budget
 * @param logSlowestFsyncMillis the slowest log fsync since the node started
 * @param digestAudit     the last check of every timeline against the peers (run by itself after
 *                        a lost disk); mismatches mean the replicas diverged
 * @param versionCacheHits   version lookups (the core's and version checks') the memory-mapped
 *                           cache answered since start
 * @param versionCacheMisses lookups it did not, which read the store
 * @param refusedPeerMessages peer messages refused for what they carried (values the state
 *                            machine cannot apply, finish requests past every known entry): they
 *                            changed nothing; any at all means a broken or forged peer
 * @param coreTimelines       timelines whose Paxos state the core keeps now (bounded: idle ones
 *                            are forgotten past {@code PaxosConfig.timelinesKeptMax})
 */
public record NodeHealth(long groupId, int nodeIndex, SsdNode.Mode mode, boolean lostDiskAtStart,
                         int coreInbox, long coreEvents, long logRecords, long logFsyncs,
                         long logSlowFsyncs, long logSlowestFsyncMillis,
                         long peerBatchesSent, long peerMessagesSent, long peerBatchesFailed,
                         DigestAudit.Result digestAudit, long versionCacheHits, long versionCacheMisses,
                         long refusedPeerMessages, int coreTimelines) {
}
