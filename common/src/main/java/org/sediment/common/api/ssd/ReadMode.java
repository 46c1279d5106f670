package org.sediment.common.api.ssd;

/** How fresh a read must be. */
public enum ReadMode {
    /** Linearizable: served only after a majority of the group confirmed nothing newer was chosen. */
    STRONG,
    /** This replica's applied state as it is: one local read, possibly stale. */
    LOCAL
}
