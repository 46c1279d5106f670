package org.sediment.ssd.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Which replica a data directory belongs to, written once when the directory is formatted. A
 * directory without it is empty (new or wiped); one naming another group or replica is foreign.
 * Either way the node cannot trust it to hold its promises.
 */
record NodeIdentity(long groupId, int nodeIndex, int groupSize) {

    static final String NAME = "node.id";

    static NodeIdentity of(NodeConfig config) {
        return new NodeIdentity(config.groupId(), config.nodeIndex(), config.members().size());
    }

    /** The identity stored in {@code dir}, or null if there is none (or it is unreadable). */
    static NodeIdentity read(Path dir) {
        Path file = dir.resolve(NAME);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
            return new NodeIdentity(Long.parseLong(p.getProperty("group")), Integer.parseInt(p.getProperty("node")),
                    Integer.parseInt(p.getProperty("groupSize")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void write(Path dir) {
        String text = "# Sediment SSD replica identity: do not edit\ngroup=" + groupId + "\nnode=" + nodeIndex
                + "\ngroupSize=" + groupSize + "\n";
        Path tmp = dir.resolve(NAME + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableStateFile.forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(NAME), e);
        }
    }
}
