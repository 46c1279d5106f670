package org.sediment.router.http;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTP API process's settings ({@code sediment.http.*}).
 *
 * @param routesFile    the route document to follow (reloaded when it changes); not needed when a
 *                      client is handed in (the embedded cluster)
 * @param maxValueBytes the largest item value accepted, the same limit the SDK and the SSD nodes enforce
 * @param maxInFlight   requests the API serves at once; more are answered 429 with Retry-After
 */
@ConfigurationProperties("sediment.http")
public record HttpApiProperties(Path routesFile, Integer maxValueBytes, Integer maxInFlight) {

    public HttpApiProperties {
        if (maxValueBytes == null) {
            maxValueBytes = 64 << 10;
        }
        if (maxInFlight == null) {
            maxInFlight = 4_096;
        }
    }
}
