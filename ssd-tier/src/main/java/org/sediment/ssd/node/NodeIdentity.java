package org.sediment.ssd.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.UUID;

/**
 * Which replica a data directory belongs to, written once when the directory is formatted. A
 * directory without it is empty (new or wiped); one naming another group or replica is foreign.
 * Either way the node cannot trust it to hold its promises.
 *
 * <p>The {@code incarnation} is drawn at random at each format, so it names this directory's
 * contents rather than the replica: state kept outside the directory (the version cache, in
 * shared memory) records it, and is discarded when the directory under it was replaced.
 */
record NodeIdentity(long groupId, int nodeIndex, int groupSize, UUID incarnation) {

    static final String NAME = "node.id";

    /** The identity a directory formatted now for {@code config}'s replica gets. */
    static NodeIdentity newIncarnation(NodeConfig config) {
        return new NodeIdentity(config.groupId(), config.nodeIndex(), config.members().size(), UUID.randomUUID());
    }

    boolean belongsTo(NodeConfig config) {
        return groupId == config.groupId() && nodeIndex == config.nodeIndex() && groupSize == config.members().size();
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
            long group = Long.parseLong(p.getProperty("group"));
            int node = Integer.parseInt(p.getProperty("node"));
            int groupSize = Integer.parseInt(p.getProperty("groupSize"));
            String incarnation = p.getProperty("incarnation");
            // Formatted before incarnations were recorded: a fixed one still keeps caches apart
            // from other replicas', if not from an earlier directory of the same replica.
            return new NodeIdentity(group, node, groupSize, incarnation != null ? UUID.fromString(incarnation)
                    : UUID.nameUUIDFromBytes((group + "/" + node + "/" + groupSize).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void write(Path dir) {
        String text = "# Sediment SSD replica identity: do not edit\ngroup=" + groupId + "\nnode=" + nodeIndex
                + "\ngroupSize=" + groupSize + "\nincarnation=" + incarnation + "\n";
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
