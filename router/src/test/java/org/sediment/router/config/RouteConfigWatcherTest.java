package org.sediment.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteConfigWatcherTest {

    /** Generous for a loaded 2-core machine; the watcher polls every 50 ms here. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void reloadsANewerDocumentAndTellsListeners() throws IOException {
        Path file = write(RouteConfigTest.document(1, 2));
        try (RouteConfigWatcher watcher = new RouteConfigWatcher(file, Duration.ofMillis(50))) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            watcher.onChange(config -> seen.add(config.version()));
            assertThat(watcher.current().version()).isEqualTo(1);

            write(RouteConfigTest.document(2, 3));
            patiently().until(() -> watcher.current().version() == 2);
            assertThat(watcher.current().groups(Tier.SSD)).hasSize(3);
            patiently().until(() -> !seen.isEmpty());
            assertThat(seen).containsExactly(2L);
        }
    }

    @Test
    void keepsServingThePreviousConfigWhenTheNewOneIsInvalid() throws IOException {
        Path file = write(RouteConfigTest.document(3, 1));
        try (RouteConfigWatcher watcher = new RouteConfigWatcher(file, Duration.ofMillis(50))) {
            write(RouteConfigTest.document(4, 1).replace("memory: 0.75", "memory: 7"));
            patiently().until(() -> watcher.lastRejection().isPresent());
            assertThat(watcher.lastRejection()).contains("trafficRatio.memory must be in [0, 1], got 7.0");
            assertThat(watcher.current().version()).isEqualTo(3);

            write(RouteConfigTest.document(2, 1));
            patiently().until(() -> watcher.lastRejection().orElse("").contains("not newer"));
            assertThat(watcher.current().version()).isEqualTo(3);

            write(RouteConfigTest.document(5, 1));
            patiently().until(() -> watcher.current().version() == 5);
            assertThat(watcher.lastRejection()).isEmpty();
        }
    }

    @Test
    void refusesToStartFromAnInvalidFile() throws IOException {
        Path file = write("version: 1\n");
        assertThatThrownBy(() -> new RouteConfigWatcher(file, Duration.ofMillis(50)))
                .isInstanceOf(RouteConfigException.class)
                .hasMessage("timeSplits is required");
    }

    /** Writes atomically, as operators are told to: temporary file, then rename. */
    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("routes.yaml");
        Path temporary = dir.resolve("routes.yaml.tmp");
        Files.writeString(temporary, yaml);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Waits for what the watcher does on its own thread, checking every 10 ms. */
    private static ConditionFactory patiently() {
        return await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }
}
