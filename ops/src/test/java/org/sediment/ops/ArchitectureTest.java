package org.sediment.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of DESIGN.md §7 that a compiler does not check: core packages take time, randomness
 * and threads as inputs, and tiers never import each other (they talk over the wire).
 */
class ArchitectureTest {

    private static final Path ROOT = Path.of("..");

    /** Pure state machines and deterministic structures: no clocks, threads or ambient randomness. */
    private static final List<String> CORE_PACKAGES = List.of(
            "ssd-tier/src/main/java/org/sediment/ssd/paxos",
            "common/src/main/java/org/sediment/common/partition",
            "common/src/main/java/org/sediment/common/key",
            "common/src/main/java/org/sediment/common/block");

    private static final Pattern FORBIDDEN_IN_CORE = Pattern.compile(
            "System\\.currentTimeMillis|System\\.nanoTime|ThreadLocalRandom|new Random\\(|Math\\.random"
                    + "|new Thread\\(|Thread\\.of|Executors\\.|java\\.time\\.(Instant|LocalDateTime)\\.now|io\\.netty|springframework");

    /** Each tier's packages, and the tiers it must not import. */
    private static final Map<String, String> TIER_PACKAGES = Map.of(
            "ssd-tier", "org.sediment.ssd",
            "memory-tier", "org.sediment.memory",
            "hdd-tier", "org.sediment.hdd",
            "sinker", "org.sediment.sinker");

    @Test
    void corePackagesUseNoClockThreadOrAmbientRandomness() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String dir : CORE_PACKAGES) {
            for (Path file : javaFiles(ROOT.resolve(dir))) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (!line.startsWith("*") && !line.startsWith("//") && FORBIDDEN_IN_CORE.matcher(line).find()) {
                        violations.add(file + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void tiersAndTheSinkerNeverImportEachOther() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, String> module : TIER_PACKAGES.entrySet()) {
            for (Path file : javaFiles(ROOT.resolve(module.getKey()).resolve("src"))) {
                for (String line : Files.readAllLines(file)) {
                    for (Map.Entry<String, String> other : TIER_PACKAGES.entrySet()) {
                        if (!other.getKey().equals(module.getKey()) && line.startsWith("import " + other.getValue() + ".")) {
                            violations.add(file + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theRulesSeeTheSources() throws IOException {
        // Guards the tests above against passing because they read nothing.
        assertThat(javaFiles(ROOT.resolve(CORE_PACKAGES.get(1)))).isNotEmpty();
        assertThat(javaFiles(ROOT.resolve("ssd-tier/src"))).isNotEmpty();
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
