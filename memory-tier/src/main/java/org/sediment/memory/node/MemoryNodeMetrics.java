package org.sediment.memory.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A memory node's figures as Prometheus metrics, tagged with its group and node: the same meters
 * whether the node runs as its own process or inside {@code sediment local}.
 */
public final class MemoryNodeMetrics {
    private MemoryNodeMetrics() {
    }

    public static MeterBinder of(List<MemoryNode> nodes) {
        return registry -> {
            for (MemoryNode node : nodes) {
                Tags tags = Tags.of("group", Integer.toString(node.config().group()),
                        "node", Integer.toString(node.config().node()));
                counter(registry, node, tags, "sediment.memory.page.reads", "pages asked for", MemoryNodeStats::pageReads);
                counter(registry, node, tags, "sediment.memory.served.from.cache",
                        "reads answered from the cache after the SSD tier confirmed its version", MemoryNodeStats::servedFromCache);
                counter(registry, node, tags, "sediment.memory.fresh.pages", "reads answered with a fresh page the version check carried",
                        MemoryNodeStats::verdictsStale);
                counter(registry, node, tags, "sediment.memory.ssd.page.reads",
                        "reads the cache could not answer in full, read from the SSD tier", MemoryNodeStats::ssdPageReads);
                counter(registry, node, tags, "sediment.memory.version.checks", "version-check RPCs sent to the SSD tier",
                        MemoryNodeStats::versionChecks);
                counter(registry, node, tags, "sediment.memory.version.claims", "claims those checks carried",
                        MemoryNodeStats::claims);
                gauge(registry, node, tags, "sediment.memory.batch.factor", "reads per version-check RPC since start",
                        MemoryNodeStats::batchFactor);
                gauge(registry, node, tags, "sediment.memory.hit.ratio", "share of reads served from the cache since start",
                        MemoryNodeStats::hitRatio);
                gauge(registry, node, tags, "sediment.memory.cached.bytes", "bytes of pages the cache holds",
                        MemoryNodeStats::bytesCached);
                gauge(registry, node, tags, "sediment.memory.budget.bytes", "memory mapped for the cache",
                        MemoryNodeStats::budgetBytes);
                counter(registry, node, tags, "sediment.memory.evictions", "pages evicted from the cache",
                        MemoryNodeStats::evictions);
                counter(registry, node, tags, "sediment.memory.torn.entries", "cache entries dropped because their bytes did not check out",
                        MemoryNodeStats::tornEntries);
            }
        };
    }

    private static void gauge(MeterRegistry registry, MemoryNode node, Tags tags, String name, String help,
                              ToDoubleFunction<MemoryNodeStats> f) {
        Gauge.builder(name, node, n -> f.applyAsDouble(n.stats())).tags(tags).description(help).register(registry);
    }

    private static void counter(MeterRegistry registry, MemoryNode node, Tags tags, String name, String help,
                                ToDoubleFunction<MemoryNodeStats> f) {
        FunctionCounter.builder(name, node, n -> f.applyAsDouble(n.stats())).tags(tags).description(help).register(registry);
    }
}
