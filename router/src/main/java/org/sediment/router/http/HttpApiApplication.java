package org.sediment.router.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.InetSocketAddress;
import java.util.Map;
import org.sediment.router.client.ClientSettings;
import org.sediment.router.client.RouteSource;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigWatcher;
import org.sediment.router.config.Tier;
import org.sediment.router.process.ProcessDefaults;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The HTTP timeline API as a process (Spring Boot web on virtual threads): {@code /v1/...}, the
 * OpenAPI document at {@code /v3/api-docs} with a browsable UI at {@code /swagger-ui.html}, health
 * and Prometheus metrics under {@code /actuator}. It follows a route file
 * ({@code sediment.http.routes-file}), or serves a client it is handed (the embedded cluster).
 */
@SpringBootApplication
@EnableConfigurationProperties(HttpApiProperties.class)
public class HttpApiApplication {

    public static void main(String[] args) {
        application(null).run(args);
    }

    /**
     * The application with its defaults; with {@code client} non-null it serves that client (and
     * does not close it) instead of building one from a route file.
     */
    public static SpringApplication application(SedimentClient client) {
        SpringApplication app = new SpringApplication(HttpApiApplication.class);
        Map<String, Object> defaults = ProcessDefaults.of("sediment-http");
        defaults.put("spring.mvc.problemdetails.enabled", "true");
        defaults.put("server.tomcat.threads.max", "200");
        defaults.put("springdoc.swagger-ui.path", "/swagger-ui.html");
        app.setDefaultProperties(defaults);
        if (client != null) {
            app.addInitializers(context -> context.getBeanFactory().registerSingleton("sedimentClient", client));
        }
        return app;
    }

    /** The route document this process follows, when no client is handed in. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(SedimentClient.class)
    RouteConfigWatcher routeConfigWatcher(HttpApiProperties properties) {
        if (properties.routesFile() == null) {
            throw new IllegalStateException("set sediment.http.routes-file to the route document to follow");
        }
        return new RouteConfigWatcher(properties.routesFile(), RouteConfigWatcher.DEFAULT_POLL);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(SedimentClient.class)
    SedimentClient sedimentClient(RouteConfigWatcher watcher, HttpApiProperties properties) {
        return SedimentClient.builder(RouteSource.watching(watcher))
                .settings(ClientSettings.defaults().withMaxValueBytes(properties.maxValueBytes()))
                .build();
    }

    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(HttpApiProperties properties) {
        FilterRegistrationBean<AdmissionFilter> registration = new FilterRegistrationBean<>(new AdmissionFilter(properties));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** The routes this API follows and the replicas it avoids now; UP while it has routes. */
    @Bean
    HealthIndicator sedimentRoutes(SedimentClient client) {
        return () -> {
            RouteConfig routes = client.routes();
            long avoided = 0;
            for (GroupRoute group : routes.groups(Tier.SSD)) {
                for (Member member : group.members()) {
                    avoided += client.replicaBoard().avoided(new InetSocketAddress(member.host(), member.port())) ? 1 : 0;
                }
            }
            return Health.up().withDetail("routeVersion", routes.version())
                    .withDetail("ssdGroups", routes.groups(Tier.SSD).size())
                    .withDetail("ssdReplicasAvoided", avoided).build();
        };
    }

    @Bean
    MeterBinder sedimentClientMetrics(SedimentClient client) {
        return registry -> {
            Gauge.builder("sediment.client.route.version", client, c -> c.routes().version())
                    .description("the route version the API follows").register(registry);
            FunctionCounter.builder("sediment.client.replicas.avoided", client, c -> c.replicaBoard().avoidances())
                    .description("times a replica was avoided after failing or being outrun by a hedge").register(registry);
        };
    }
}
