package org.sediment.memory.cache;

import java.util.concurrent.atomic.LongAdder;

/** What a {@link PageChain} did, for metrics; a {@link PageCache} sums its chains. */
final class ChainStats {
    /** Lookups that found their page overwritten by the log's wrap: evicted. */
    final LongAdder evicted = new LongAdder();
    /** Index slots taken from a live page because their row was full: evicted too. */
    final LongAdder displaced = new LongAdder();
    /** Entries whose bytes did not check out (a write torn by a crash): dropped. */
    final LongAdder torn = new LongAdder();
}
