package org.sediment.memory.app;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.sediment.memory.node.MemoryNode;
import org.sediment.memory.node.MemoryNodeMetrics;
import org.sediment.memory.node.MemoryNodeStats;
import org.sediment.router.process.ProcessDefaults;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The memory node as a deployable process: Spring Boot reads the configuration and serves
 * health and Prometheus metrics over HTTP (actuator); the data plane is the node's own Netty
 * server. {@code bin/sediment memory-node --sediment.memory.address=...}.
 */
@SpringBootApplication
@EnableConfigurationProperties(MemoryNodeProperties.class)
public class MemoryNodeApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(MemoryNodeApplication.class);
        app.setDefaultProperties(ProcessDefaults.ofNode("sediment-memory-node"));
        return app;
    }

    @Bean(destroyMethod = "close")
    MemoryNode memoryNode(MemoryNodeProperties properties) {
        return MemoryNode.start(properties.toNodeConfig());
    }

    /** UP while serving; the figures an operator looks at first ride along. */
    @Bean
    HealthIndicator memoryNodeHealth(MemoryNode node) {
        return () -> {
            MemoryNodeStats s = node.stats();
            return Health.up().withDetail("group", s.group()).withDetail("node", s.node())
                    .withDetail("address", node.address().toString())
                    .withDetail("hitRatio", s.hitRatio()).withDetail("batchFactor", s.batchFactor())
                    .withDetail("bytesCached", s.bytesCached()).withDetail("budgetBytes", s.budgetBytes()).build();
        };
    }

    @Bean
    MeterBinder memoryNodeMetrics(MemoryNode node) {
        return MemoryNodeMetrics.of(List.of(node));
    }
}
