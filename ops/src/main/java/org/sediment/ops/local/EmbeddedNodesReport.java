package org.sediment.ops.local;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sediment.ssd.node.NodeHealth;
import org.sediment.ssd.node.SsdNode;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health and metrics of the SSD nodes a local cluster runs inside its own JVM, served by the
 * HTTP API's actuator (the only HTTP port that process has): health is UP while every group has
 * a voting majority; gauges and counters carry {@code group} and {@code node} tags.
 */
final class EmbeddedNodesReport {
    private EmbeddedNodesReport() {
    }

    static HealthIndicator health(List<SsdNode> nodes) {
        return () -> {
            Map<Long, int[]> votingByGroup = new LinkedHashMap<>();
            Map<String, Object> details = new LinkedHashMap<>();
            for (SsdNode node : nodes) {
                NodeHealth h = node.health();
                int[] counts = votingByGroup.computeIfAbsent(h.groupId(), g -> new int[2]);
                counts[0] += h.mode() == SsdNode.Mode.VOTING ? 1 : 0;
                counts[1]++;
                details.put("group " + h.groupId() + " node " + h.nodeIndex(), h.mode().name());
            }
            boolean serving = votingByGroup.values().stream().allMatch(c -> c[0] * 2 > c[1]);
            return (serving ? Health.up() : Health.down()).withDetails(details).build();
        };
    }

    static MeterBinder metrics(List<SsdNode> nodes) {
        return registry -> {
            for (SsdNode node : nodes) {
                Tags tags = Tags.of("group", Long.toString(node.config().groupId()),
                        "node", Integer.toString(node.config().nodeIndex()));
                Gauge.builder("sediment.ssd.voting", node, n -> n.health().mode() == SsdNode.Mode.VOTING ? 1 : 0)
                        .tags(tags).description("1 while the node votes").register(registry);
                Gauge.builder("sediment.ssd.core.timelines", node, n -> n.health().coreTimelines())
                        .tags(tags).description("timelines whose Paxos state the core keeps").register(registry);
                FunctionCounter.builder("sediment.ssd.log.fsyncs", node, n -> n.health().logFsyncs())
                        .tags(tags).description("group-commit log fsyncs").register(registry);
                FunctionCounter.builder("sediment.ssd.rpc.requests", node, n -> n.rpcStats().requestsServed())
                        .tags(tags).description("requests served").register(registry);
                FunctionCounter.builder("sediment.ssd.peer.refused", node, n -> n.health().refusedPeerMessages())
                        .tags(tags).description("peer messages refused for what they carried").register(registry);
            }
        };
    }
}
