package org.sediment.hdd.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.sediment.hdd.node.HddNode;
import org.sediment.hdd.node.HddNodeStats;
import org.sediment.router.process.ProcessDefaults;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The HDD node as a deployable process: Spring Boot reads the configuration and serves health
 * and Prometheus metrics (actuator); the data plane is the node's own Netty server.
 * {@code bin/sediment hdd-node --sediment.hdd.address=... --sediment.hdd.disks=/d0,/d1}.
 */
@SpringBootApplication
@EnableConfigurationProperties(HddNodeProperties.class)
public class HddNodeApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(HddNodeApplication.class);
        app.setDefaultProperties(ProcessDefaults.ofNode("sediment-hdd-node"));
        return app;
    }

    @Bean(destroyMethod = "close")
    HddNode hddNode(HddNodeProperties properties) {
        return HddNode.start(properties.toNodeConfig());
    }

    /** UP while serving; blocks it could not repair make it DOWN: an operator must look. */
    @Bean
    HealthIndicator hddNodeHealth(HddNode node) {
        return () -> {
            HddNodeStats s = node.stats();
            return (s.repairsFailed() == 0 ? Health.up() : Health.down()).withDetail("group", s.group())
                    .withDetail("node", s.node()).withDetail("address", node.address().toString())
                    .withDetail("disks", node.config().disks().size()).withDetail("damagedReads", s.damaged())
                    .withDetail("repaired", s.repaired()).withDetail("repairsFailed", s.repairsFailed())
                    .withDetail("repairsQueued", s.repairsQueued()).build();
        };
    }

    @Bean
    MeterBinder hddNodeMetrics(HddNode node) {
        return registry -> {
            counter(registry, node, "sediment.hdd.block.reads", "block reads asked for", HddNodeStats::reads);
            counter(registry, node, "sediment.hdd.disk.reads", "positioned disk reads they took", HddNodeStats::diskReadCalls);
            gauge(registry, node, "sediment.hdd.disk.reads.per.block.read", "disk reads per block read since start",
                    HddNodeStats::diskReadsPerRead);
            counter(registry, node, "sediment.hdd.damaged.reads", "reads that found a damaged copy", HddNodeStats::damaged);
            counter(registry, node, "sediment.hdd.missing.reads", "reads of a record this node lacks", HddNodeStats::missing);
            counter(registry, node, "sediment.hdd.repaired", "records copied back from a peer", HddNodeStats::repaired);
            counter(registry, node, "sediment.hdd.repairs.failed", "repairs no peer could serve", HddNodeStats::repairsFailed);
            gauge(registry, node, "sediment.hdd.repairs.queued", "repairs waiting", HddNodeStats::repairsQueued);
            counter(registry, node, "sediment.hdd.block.writes", "records written", HddNodeStats::writes);
        };
    }

    private static void gauge(MeterRegistry registry, HddNode node, String name, String help,
                              ToDoubleFunction<HddNodeStats> f) {
        Gauge.builder(name, node, n -> f.applyAsDouble(n.stats())).description(help).register(registry);
    }

    private static void counter(MeterRegistry registry, HddNode node, String name, String help,
                                ToDoubleFunction<HddNodeStats> f) {
        FunctionCounter.builder(name, node, n -> f.applyAsDouble(n.stats())).description(help).register(registry);
    }
}
