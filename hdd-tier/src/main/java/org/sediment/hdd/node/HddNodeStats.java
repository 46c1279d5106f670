package org.sediment.hdd.node;

/**
 * What an HDD node did since it started.
 *
 * @param reads         block reads asked for
 * @param diskReadCalls positioned reads they took: one per read when all is well
 * @param damaged       reads that found a copy whose CRCs did not check out
 * @param missing       reads of a record the node does not have
 * @param writes        records written
 */
public record HddNodeStats(int group, int node, long reads, long diskReadCalls, long damaged, long missing,
                           long writes) {

    /** Disk reads per block read. */
    public double diskReadsPerRead() {
        return reads == 0 ? 0 : (double) diskReadCalls / reads;
    }
}
