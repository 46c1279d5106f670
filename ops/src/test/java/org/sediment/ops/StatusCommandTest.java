package org.sediment.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.ops.local.LocalCluster;
import picocli.CommandLine;

class StatusCommandTest {

    @Test
    void statusShowsEachReplicaVotingWhileTheClusterRunsAndDownAfter(@TempDir Path dir) throws Exception {
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dir, 1, LocalCluster.freeBasePort(1), 0, false));
        String running;
        try {
            client(cluster);
            running = status(cluster.routesFile(), 0);
        } finally {
            cluster.close();
        }
        assertThat(running).contains("version 1, 1 SSD groups");
        assertThat(running.split("voting", -1)).hasSize(3 + 1 + 1); // three rows and the group's summary line
        assertThat(running).contains("serving: 3 of 3 voting");
        assertThat(running).contains("1 memory groups, 1 HDD groups");
        assertThat(running.split("caching", -1)).as("two memory nodes").hasSize(2 + 1);
        assertThat(running.split("\\bserving\\b", -1)).as("three HDD nodes and the SSD group's summary").hasSize(3 + 1 + 1);
        String stopped = status(cluster.routesFile(), 1);
        assertThat(stopped).contains("NOT SERVING: 0 of 3 voting");
    }

    private static void client(LocalCluster cluster) {
        cluster.client().append(1, 1_000, new byte[] {1});
    }

    private static String status(Path routes, int expectedExit) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("status", "--routes", routes.toString(), "--timeout-ms", "500")).as(out.toString())
                .isEqualTo(expectedExit);
        return out.toString();
    }
}
