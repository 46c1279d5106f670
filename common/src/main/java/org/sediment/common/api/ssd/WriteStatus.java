package org.sediment.common.api.ssd;

/** How a write or a cold-link commit ended; see {@link WriteReply} for the fields each one fills. */
public enum WriteStatus {
    /** Applied: the reply carries the timeline version after the write (and an append's seq). */
    OK,
    /** Not applied: the timeline was not at the requested {@code ifVersion}; the reply says where it was. */
    VERSION_MISMATCH,
    /**
     * Indeterminate: the group could not decide the write in time (competing proposers, a lost
     * majority). It may still be applied later, so a caller that retries must tolerate a
     * duplicate or make the retry conditional.
     */
    CONTENDED
}
