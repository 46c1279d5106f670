package org.sediment.hdd.node;

/**
 * What an HDD node did since it started.
 *
 * @param reads         block reads asked for
 * @param diskReadCalls positioned reads they took: one per read when all is well
 * @param damaged       reads that found a copy whose CRCs did not check out
 * @param missing       reads of a record the node does not have
 * @param writes        records written
 * @param repaired      records copied back from a peer
 * @param repairsFailed repairs no peer could serve
 * @param repairsQueued repairs waiting now
 * @param disksRebuilt  lost disks copied back from a peer
 * @param disksRebuilding disks being rebuilt now (their reads go to the peers)
 */
public record HddNodeStats(int group, int node, long reads, long diskReadCalls, long damaged, long missing,
                           long writes, long repaired, long repairsFailed, int repairsQueued, long disksRebuilt,
                           int disksRebuilding) {

    /** Disk reads per block read. */
    public double diskReadsPerRead() {
        return reads == 0 ? 0 : (double) diskReadCalls / reads;
    }
}
