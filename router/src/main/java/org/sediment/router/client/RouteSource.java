package org.sediment.router.client;

import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigWatcher;

/**
 * Where a client gets its routes. It reads {@link #current()} on every call, so a reload takes
 * effect on the next one; after a server answered {@code STALE_ROUTE} the client waits (briefly)
 * for the source to reach the server's version, then retries.
 */
@FunctionalInterface
public interface RouteSource {

    RouteConfig current();

    /** Routes that never change: tests, and a single-process cluster. */
    static RouteSource fixed(RouteConfig routes) {
        return () -> routes;
    }

    /** The routes a watcher keeps loading from a file. */
    static RouteSource watching(RouteConfigWatcher watcher) {
        return watcher::current;
    }
}
