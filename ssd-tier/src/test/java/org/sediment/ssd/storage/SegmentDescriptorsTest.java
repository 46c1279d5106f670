package org.sediment.ssd.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.key.ItemKey;
import org.sediment.common.time.ManualClock;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TestUpdates;

/**
 * The process's file descriptors and threads (from Linux's {@code /proc/self}) stay flat while
 * writes spread over 200 weeks of item time: the security review's finding was one open LevelDB,
 * its files and its compaction thread per week written, without bound. Prints the figures.
 */
class SegmentDescriptorsTest {

    private static final long WEEK = 7 * 86_400_000L;
    private static final int WEEKS = 200;
    private static final int MAX_OPEN = 8;
    /** Generous: a segment holds its LevelDB log, manifest, lock, tables and value log. */
    private static final int DESCRIPTORS_PER_OPEN_SEGMENT = 24;

    @TempDir
    Path dir;

    @Test
    void descriptorsAndThreadsStayBoundedAsWritesSpreadOverTwoHundredWeeks() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        SegmentPolicy policy = SegmentPolicy.weekly().withMaxOpenSegments(MAX_OPEN);
        // The clock at the first week: every segment written is tuned hot (plain files, not mapped,
        // and a value log), the most descriptors a segment holds; none is among the newest by the
        // clock, so none is kept open for being hot.
        try (SegmentedStore store = SegmentedStore.open(dir, policy, new ManualClock(-WEEK))) {
            int baseFds = descriptors();
            int baseThreads = threads();
            int baseMaps = maps();
            int fdsWhenFull = 0;
            int mostFds = 0;
            int mostThreads = 0;
            long version = 0;
            for (int week = 0; week < WEEKS; week++) {
                // 2,000 values of 100 bytes, in four batches: the last finds the memtable full, so
                // each segment flushes a table on its compaction thread.
                for (int batch = 0; batch < 4; batch++) {
                    List<RowChange> puts = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        puts.add(new RowChange.Put(new ItemKey(1, week * WEEK + batch * 500 + i, 0), new byte[100]));
                    }
                    store.apply(List.of(TestUpdates.at(1, ++version, puts)));
                }
                if (week % 20 == 0) {
                    store.checkpoint();
                }
                int fds = descriptors();
                mostFds = Math.max(mostFds, fds);
                mostThreads = Math.max(mostThreads, threads());
                if (week == MAX_OPEN) {
                    fdsWhenFull = fds;
                }
            }
            int endFds = descriptors();
            System.out.printf("memory maps: %d at the start, %d at the end%n", baseMaps, maps());
            System.out.printf("segments written %d, open at most %d (open now %d, closed for room %d); "
                            + "descriptors: %d at the start, %d with %d open, %d at most, %d at the end; "
                            + "threads: %d at the start, %d at most%n",
                    store.segmentNumbers().size(), store.mostOpenSegments(), store.openSegmentCount(),
                    store.segmentsClosedForRoom(), baseFds, fdsWhenFull, MAX_OPEN, mostFds, endFds, baseThreads,
                    mostThreads);
            assertThat(store.segmentNumbers()).hasSize(WEEKS);
            assertThat(store.mostOpenSegments()).isEqualTo(MAX_OPEN);
            assertThat(mostFds - baseFds).as("descriptors beyond the start").isLessThanOrEqualTo(
                    MAX_OPEN * DESCRIPTORS_PER_OPEN_SEGMENT);
            assertThat(mostThreads - baseThreads).as("threads beyond the start (a compaction thread per open segment)")
                    .isLessThanOrEqualTo(MAX_OPEN + 4);
        }
    }

    private static int descriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    private static int maps() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).size();
    }

    private static int threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no Threads: line in /proc/self/status");
    }
}
