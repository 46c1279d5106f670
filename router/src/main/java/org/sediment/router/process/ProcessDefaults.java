package org.sediment.router.process;

import java.util.HashMap;
import java.util.Map;

/**
 * The Spring Boot defaults every Sediment process shares: virtual threads, no banner, health
 * with details and Prometheus metrics under {@code /actuator}. A tier node's HTTP port serves
 * only actuator, so it turns the OpenAPI document off; the HTTP API adds its own settings.
 */
public final class ProcessDefaults {
    private ProcessDefaults() {
    }

    /** The defaults of any process named {@code name}. */
    public static Map<String, Object> of(String name) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.application.name", name);
        defaults.put("spring.threads.virtual.enabled", "true");
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("management.endpoints.web.exposure.include", "health,prometheus,info");
        defaults.put("management.endpoint.health.show-details", "always");
        return defaults;
    }

    /** The defaults of a tier node: {@link #of} without the OpenAPI document and UI. */
    public static Map<String, Object> ofNode(String name) {
        Map<String, Object> defaults = of(name);
        defaults.put("springdoc.api-docs.enabled", "false");
        defaults.put("springdoc.swagger-ui.enabled", "false");
        return defaults;
    }
}
