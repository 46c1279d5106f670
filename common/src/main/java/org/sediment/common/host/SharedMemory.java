package org.sediment.common.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a process keeps files that must outlive it but not its machine: the SSD tier's version
 * cache, the memory tier's page cache.
 *
 * <p>Shared memory ({@code /dev/shm}, a tmpfs) rather than the data disk, because the kernel
 * writes a mapped disk file back on its own schedule: a cache changes at random places all the
 * time, so under load nearly all of it stays dirty and is written back in bursts once its pages
 * are 30 s old. The SSD tier's log fsyncs waited behind those bursts for 100-600 ms, on all
 * replicas at once (BENCHMARKS.md). A tmpfs file has no disk behind it, and loses nothing a cache
 * needs: after a reboot it starts empty anyway.
 *
 * <p>The directory is {@value #DIR_PROPERTY} if that system property is set (tests point it into
 * their build directory, so they leave nothing in shared memory), else {@code /dev/shm} if it is
 * a writable directory, else the owner's own directory.
 */
public final class SharedMemory {

    public static final String DIR_PROPERTY = "sediment.shared-memory-dir";

    private SharedMemory() {
    }

    /**
     * The path of {@code name} for the process whose data lives in {@code ownerDir}: in shared
     * memory, prefixed with a digest of {@code ownerDir}'s absolute path, so processes on one
     * machine never share one and a restarted process finds its own; else {@code ownerDir/name}.
     */
    public static Path placeFor(Path ownerDir, String name) {
        Path dir = directory(ownerDir);
        return dir.equals(ownerDir) ? ownerDir.resolve(name) : dir.resolve("sediment-" + digestOf(ownerDir) + "-" + name);
    }

    private static Path directory(Path ownerDir) {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : ownerDir;
    }

    private static String digestOf(Path ownerDir) {
        try {
            byte[] path = ownerDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
