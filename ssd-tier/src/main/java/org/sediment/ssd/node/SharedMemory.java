package org.sediment.ssd.node;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a node keeps files that must outlive its process but not its machine: the version cache.
 *
 * <p>Shared memory ({@code /dev/shm}, a tmpfs) rather than the data disk, because the kernel
 * writes a mapped disk file back on its own schedule: the cache changes at random places on
 * every applied write, so under load nearly all of it (32 MB per node by default) stays dirty,
 * and is written back in bursts once its pages are 30 s old. The Paxos log's fsyncs waited
 * behind those bursts for 100-600 ms, on all replicas at once (BENCHMARKS.md). A tmpfs file has
 * no disk behind it, and loses nothing the cache needs: after a reboot it starts empty anyway.
 *
 * <p>The directory is {@value #DIR_PROPERTY} if that system property is set (tests point it into
 * their build directory, so they leave nothing in shared memory), else {@code /dev/shm} if it is
 * a writable directory, else the data directory itself.
 */
final class SharedMemory {

    static final String DIR_PROPERTY = "sediment.shared-memory-dir";

    private SharedMemory() {
    }

    /**
     * The version cache file of the replica whose data lives in {@code dataDir}: named by group,
     * replica and a digest of the data directory's absolute path, so replicas on one machine never
     * share a file, and a restarted replica finds its own.
     */
    static Path versionCacheFile(long groupId, int nodeIndex, Path dataDir) {
        Path dir = directory(dataDir);
        if (dir.equals(dataDir)) {
            return dataDir.resolve("version-cache.bin");
        }
        return dir.resolve("sediment-ssd-g" + groupId + "-n" + nodeIndex + "-" + digestOf(dataDir) + ".versions");
    }

    private static Path directory(Path dataDir) {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : dataDir;
    }

    private static String digestOf(Path dataDir) {
        try {
            byte[] path = dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
