package org.sediment.router.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the current {@link RouteConfig} of one file and reloads it when the file changes.
 *
 * <p>The file is polled (default every 200 ms, so a change is live well within a second) and
 * compared by content, not by modification time, which can miss two writes within one clock
 * tick. A new document that fails to parse, fails validation or does not raise the version is
 * rejected: the reason is logged and kept for {@link #lastRejection()}, and the previous config
 * keeps serving. Write a new config atomically (write a temporary file, then rename) so a
 * half-written file is never read; a torn read is rejected anyway and retried on the next poll.
 */
public final class RouteConfigWatcher implements AutoCloseable {

    public static final Duration DEFAULT_POLL = Duration.ofMillis(200);
    private static final System.Logger LOG = System.getLogger(RouteConfigWatcher.class.getName());

    private final Path file;
    private final List<Consumer<RouteConfig>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private volatile RouteConfig current;
    private volatile String lastRejection;
    private byte[] lastSeen;

    /** Loads the file now (failing if it is invalid) and watches it from then on. */
    public RouteConfigWatcher(Path file, Duration pollInterval) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + pollInterval);
        }
        this.file = file;
        this.lastSeen = read();
        this.current = RouteConfigParser.parse(new String(lastSeen, StandardCharsets.UTF_8));
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "route-config-watcher " + file.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        long periodMs = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    public RouteConfig current() {
        return current;
    }

    /** Why the most recent changed document was refused, if it was. */
    public Optional<String> lastRejection() {
        return Optional.ofNullable(lastRejection);
    }

    /** Called on the watcher thread with each accepted new config. */
    public void onChange(Consumer<RouteConfig> listener) {
        listeners.add(listener);
    }

    private void poll() {
        byte[] content;
        try {
            content = read();
        } catch (RouteConfigException e) {
            reject(e.getMessage());
            return;
        }
        if (Arrays.equals(content, lastSeen)) {
            return;
        }
        lastSeen = content;
        try {
            RouteConfig next = RouteConfigParser.parse(new String(content, StandardCharsets.UTF_8));
            next.requireNewerThan(current);
            current = next;
            lastRejection = null;
            LOG.log(Level.INFO, "route config {0} loaded from {1}", next, file);
            for (Consumer<RouteConfig> listener : listeners) {
                listener.accept(next);
            }
        } catch (RouteConfigException e) {
            reject(e.getMessage());
        } catch (RuntimeException e) {
            // A listener's bug must not stop the watcher; it is logged, not swallowed.
            LOG.log(Level.ERROR, "route config listener failed", e);
        }
    }

    private void reject(String reason) {
        if (!reason.equals(lastRejection)) {
            LOG.log(Level.WARNING, "route config {0} rejected, keeping version {1}: {2}",
                    file, current.version(), reason);
        }
        lastRejection = reason;
    }

    private byte[] read() {
        try {
            long size = Files.size(file);
            if (size > RouteConfigParser.MAX_DOCUMENT_BYTES) {
                throw new RouteConfigException(file + " is " + size + " bytes; the limit is "
                        + RouteConfigParser.MAX_DOCUMENT_BYTES);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RouteConfigException("cannot read route config " + file + ": " + e, e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
