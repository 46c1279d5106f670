package org.sediment.ssd.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.sediment.router.process.ProcessDefaults;
import org.sediment.ssd.node.NodeHealth;
import org.sediment.ssd.node.SsdNode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The SSD node as a deployable process: Spring Boot reads the configuration and serves health
 * and metrics over HTTP (actuator); the data plane is the node's own Netty server. Run it from
 * a plain classpath ({@code bin/sediment ssd-node}), not a fat jar: Chronicle compiles code at
 * runtime and cannot from inside one on JDK 25.
 */
@SpringBootApplication
@EnableConfigurationProperties(SsdNodeProperties.class)
public class SsdNodeApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application with its defaults: health details and Prometheus metrics exposed. */
    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(SsdNodeApplication.class);
        app.setDefaultProperties(ProcessDefaults.ofNode("sediment-ssd-node"));
        return app;
    }

    /** Started with the context, stopped (gracefully: log flushed, store checkpointed) with it. */
    @Bean(destroyMethod = "close")
    SsdNode ssdNode(SsdNodeProperties properties) {
        return SsdNode.start(properties.toNodeConfig());
    }

    /**
     * UP only while voting. A learner-only node (recovering a lost disk) or one still starting
     * is OUT_OF_SERVICE: alive, but not yet a full replica. A digest audit that found timelines
     * differing from a peer makes it DOWN: the replicas diverged and an operator must look.
     */
    @Bean
    HealthIndicator ssdNodeHealth(SsdNode node) {
        return () -> {
            NodeHealth h = node.health();
            Health.Builder builder = switch (h.mode()) {
                case VOTING -> h.digestAudit().mismatched() > 0 ? Health.down() : Health.up();
                case STARTING, LEARNER -> Health.outOfService();
                case FAILED, STOPPED -> Health.down();
            };
            return builder.withDetail("mode", h.mode()).withDetail("group", h.groupId())
                    .withDetail("node", h.nodeIndex()).withDetail("lostDiskAtStart", h.lostDiskAtStart())
                    .withDetail("digestAudit", h.digestAudit())
                    .withDetail("address", node.config().address().toString()).build();
        };
    }

    @Bean
    MeterBinder ssdNodeMetrics(SsdNode node) {
        return registry -> {
            gauge(registry, node, "sediment.ssd.voting", "1 while the node votes, 0 while learner-only or starting",
                    n -> n.health().mode() == SsdNode.Mode.VOTING ? 1 : 0);
            gauge(registry, node, "sediment.ssd.lost.disk.at.start", "1 if the node started learner-only after a lost disk",
                    n -> n.health().lostDiskAtStart() ? 1 : 0);
            gauge(registry, node, "sediment.ssd.digest.audit.verified", "timelines the last digest audit found equal to a peer's",
                    n -> n.health().digestAudit().verified());
            gauge(registry, node, "sediment.ssd.digest.audit.mismatched", "timelines the last digest audit found differing from a peer's",
                    n -> n.health().digestAudit().mismatched());
            gauge(registry, node, "sediment.ssd.digest.audit.unsettled", "timelines the last digest audit could not compare",
                    n -> n.health().digestAudit().unsettled());
            gauge(registry, node, "sediment.ssd.core.inbox", "events waiting for the Paxos core thread",
                    n -> n.health().coreInbox());
            counter(registry, node, "sediment.ssd.core.events", "events the Paxos core processed", n -> n.health().coreEvents());
            counter(registry, node, "sediment.ssd.peer.refused", "peer messages refused for what they carried",
                    n -> n.health().refusedPeerMessages());
            gauge(registry, node, "sediment.ssd.core.timelines", "timelines whose Paxos state the core keeps",
                    n -> n.health().coreTimelines());
            counter(registry, node, "sediment.ssd.log.records", "group-commit log records written", n -> n.health().logRecords());
            counter(registry, node, "sediment.ssd.log.fsyncs", "group-commit log fsyncs", n -> n.health().logFsyncs());
            counter(registry, node, "sediment.ssd.log.fsyncs.slow", "group-commit log fsyncs of 20 ms or more",
                    n -> n.health().logSlowFsyncs());
            gauge(registry, node, "sediment.ssd.log.fsync.slowest.ms", "the slowest group-commit log fsync since start",
                    n -> n.health().logSlowestFsyncMillis());
            counter(registry, node, "sediment.ssd.peer.batches", "Paxos message batches sent to peers",
                    n -> n.health().peerBatchesSent());
            counter(registry, node, "sediment.ssd.peer.messages", "Paxos messages sent to peers",
                    n -> n.health().peerMessagesSent());
            counter(registry, node, "sediment.ssd.peer.batches.failed", "peer batches that got no reply",
                    n -> n.health().peerBatchesFailed());
            counter(registry, node, "sediment.ssd.version.cache.hits", "version lookups the memory-mapped cache answered",
                    n -> n.health().versionCacheHits());
            counter(registry, node, "sediment.ssd.version.cache.misses", "version lookups that read the store",
                    n -> n.health().versionCacheMisses());
            counter(registry, node, "sediment.ssd.rpc.requests", "requests served", n -> n.rpcStats().requestsServed());
            counter(registry, node, "sediment.ssd.rpc.overloaded", "requests shed as OVERLOADED",
                    n -> n.rpcStats().rejectedOverloaded());
            counter(registry, node, "sediment.ssd.rpc.bad.frames", "malformed requests answered",
                    n -> n.rpcStats().badFramesAnswered());
        };
    }

    private static void gauge(MeterRegistry registry, SsdNode node, String name, String help, ToDoubleFunction<SsdNode> f) {
        Gauge.builder(name, node, f).description(help).register(registry);
    }

    private static void counter(MeterRegistry registry, SsdNode node, String name, String help, ToDoubleFunction<SsdNode> f) {
        FunctionCounter.builder(name, node, f).description(help).register(registry);
    }
}
