package org.sediment.memory.cache;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.ToLongFunction;

/**
 * A memory node's cache of timeline pages: {@code chains} {@link PageChain}s splitting one memory
 * budget, each a file in {@code dir} (shared memory in production), a timeline always in the same
 * chain. Reopening the same directory with the same budget and chain count keeps every page; a
 * page is only ever served after the SSD tier confirmed its version, so what a restart keeps is
 * never served stale.
 *
 * <p>Pure structure, no I/O besides the mapped files: the memory node (Netty, Spring) sits on top.
 */
public final class PageCache implements AutoCloseable {
    private final PageChain[] chains;
    private final long budgetBytes;

    private PageCache(PageChain[] chains, long budgetBytes) {
        this.chains = chains;
        this.budgetBytes = budgetBytes;
    }

    /**
     * @param budgetBytes the memory all chains take together, headers and indexes included
     * @param chains      how many chains split it (more chains, less contention)
     */
    public static PageCache open(Path dir, long budgetBytes, int chains) {
        if (chains < 1 || chains > 1024) {
            throw new IllegalArgumentException("chains must be in [1, 1024], got " + chains);
        }
        long perChain = budgetBytes / chains & ~4095L;
        PageChain[] opened = new PageChain[chains];
        try {
            for (int i = 0; i < chains; i++) {
                opened[i] = PageChain.open(dir.resolve("chain-%03d.pages".formatted(i)), perChain);
            }
        } catch (RuntimeException e) {
            for (PageChain chain : opened) {
                if (chain != null) {
                    chain.close();
                }
            }
            throw e;
        }
        return new PageCache(opened, perChain * chains);
    }

    /** The newest cached page of {@code timeline}, or null. Its version must be checked before use. */
    public CachedPage get(long timeline) {
        return chainOf(timeline).get(timeline);
    }

    /**
     * Caches {@code page} unless a newer version of its timeline is cached.
     *
     * @return whether it was cached (false also when it is too large for a chain)
     */
    public boolean put(CachedPage page) {
        return chainOf(page.timeline()).put(page);
    }

    /** The largest page a chain takes, in its encoded bytes. */
    public long maxPageBytes() {
        return chains[0].maxEntryBytes();
    }

    /** Memory mapped for the cache: the budget rounded down to whole pages per chain. */
    public long budgetBytes() {
        return budgetBytes;
    }

    public int chains() {
        return chains.length;
    }

    /** Pages evicted: overwritten by the log's wrap, or their index slot taken. */
    public long evictions() {
        return sum(c -> c.stats.evicted.sum() + c.stats.displaced.sum());
    }

    /** Entries dropped because their bytes did not check out. */
    public long tornEntries() {
        return sum(c -> c.stats.torn.sum());
    }

    /** Bytes of log the cache holds now: each chain's log up to its size once it has wrapped. */
    public long bytesCached() {
        return sum(c -> Math.min(c.head(), c.logBytes()));
    }

    /** Index slots naming live entries that do not check out: 0 unless a crash tore a write. */
    int brokenSlots() {
        return Arrays.stream(chains).mapToInt(PageChain::brokenSlots).sum();
    }

    private long sum(ToLongFunction<PageChain> of) {
        return Arrays.stream(chains).mapToLong(of).sum();
    }

    private PageChain chainOf(long timeline) {
        // The high bits pick the chain, the low ones the row inside it: independent choices.
        return chains[(int) ((PageChain.mix(timeline) >>> 40) % chains.length)];
    }

    @Override
    public void close() {
        for (PageChain chain : chains) {
            chain.close();
        }
    }
}
