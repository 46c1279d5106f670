package org.sediment.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chronicle Map runs here with the project's JVM flags and keeps its contents in a shared-memory
 * file across a close and reopen: the ground the memory tier's cache stands on.
 */
class ChronicleSharedMemoryTest {

    @TempDir
    Path dir;

    @Test
    void contentsSurviveCloseAndReopen() throws IOException {
        File file = dir.resolve("versions.cm3").toFile();
        try (ChronicleMap<Long, Long> versions = open(file)) {
            for (long timeline = 0; timeline < 10_000; timeline++) {
                versions.put(timeline, timeline * 3);
            }
        }
        try (ChronicleMap<Long, Long> reopened = open(file)) {
            assertThat(reopened).hasSize(10_000);
            assertThat(reopened.get(4_242L)).isEqualTo(12_726L);
        }
    }

    private static ChronicleMap<Long, Long> open(File file) throws IOException {
        return ChronicleMap.of(Long.class, Long.class).name("versions").entries(20_000).createPersistedTo(file);
    }
}
