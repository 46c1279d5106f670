package org.sediment.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("partition-map", "routes", "bench");
    }

    @Test
    void partitionMapReportsShareAndBucketBalance() {
        assertThat(run("partition-map", "--groups", "10", "--buckets", "1024")).isZero();
        assertThat(out.toString()).contains("groups            10", "max/min = 1.0", "of 1024 buckets");
    }

    @Test
    void partitionMapWriteReproducesTheCommittedTable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("partition-map.bin");
        assertThat(run("partition-map", "--write", file.toString())).isZero();
        try (var committed = org.sediment.common.partition.PartitionMap.class.getResourceAsStream("partition-map.bin")) {
            assertThat(Files.readAllBytes(file)).isEqualTo(committed.readAllBytes());
        }
    }

    @Test
    void routesCheckSaysExactlyWhatIsWrong(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("routes.yaml");
        Files.writeString(file, "version: 2\ntimeSplits: {memoryMaxAgeMillis: 10, sinkAgeMillis: 20}\n"
                + "trafficRatio: {memory: 2}\ntiers: {}\n");
        assertThat(run("routes", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("invalid: trafficRatio.memory must be in [0, 1], got 2.0");
    }
}
