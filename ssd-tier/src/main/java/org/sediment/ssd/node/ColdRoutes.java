package org.sediment.ssd.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sediment.common.api.ssd.ColdRoute;

/**
 * Where each cold (HDD) group's replicas are: what a read of sunk data returns next to its
 * links, so the caller can fetch the block itself. Published by the sinker to every replica and
 * kept in a small text file ({@code hddGroup=host:port,host:port}), replaced atomically.
 */
final class ColdRoutes {
    private static final String NAME = "cold-routes.txt";

    private final Path file;
    private final Map<Integer, ColdRoute> routes = new TreeMap<>();

    private ColdRoutes(Path file) {
        this.file = file;
    }

    static ColdRoutes open(Path dir) {
        ColdRoutes routes = new ColdRoutes(dir.resolve(NAME));
        if (Files.exists(routes.file)) {
            try {
                for (String line : Files.readAllLines(routes.file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        int group = Integer.parseInt(line.substring(0, eq));
                        List<String> replicas = line.length() == eq + 1 ? List.of()
                                : Arrays.asList(line.substring(eq + 1).split(","));
                        routes.routes.put(group, new ColdRoute(group, replicas));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + routes.file, e);
            }
        }
        return routes;
    }

    synchronized ColdRoute route(int hddGroup) {
        return routes.get(hddGroup);
    }

    /** Stores (replaces) the given groups' routes durably; returns how many routes are known. */
    synchronized int update(List<ColdRoute> updates) {
        for (ColdRoute route : updates) {
            routes.put(route.hddGroup(), route);
        }
        List<String> lines = new ArrayList<>();
        routes.values().forEach(r -> lines.add(r.hddGroup() + "=" + String.join(",", r.replicas())));
        Path tmp = file.resolveSibling(NAME + ".tmp");
        try {
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableStateFile.forceDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return routes.size();
    }
}
