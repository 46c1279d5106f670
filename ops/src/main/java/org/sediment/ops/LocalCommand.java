package org.sediment.ops;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sediment.ops.local.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sediment local}: the whole product on loopback, until Ctrl-C. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Run a complete Sediment cluster on loopback: SSD groups of three replicas and the HTTP API.",
                "Data stays in --dir; a restart on the same directory keeps it. Ctrl-C stops cleanly."})
final class LocalCommand implements Callable<Integer> {

    @Option(names = "--dir", description = "data directory (default ${DEFAULT-VALUE})")
    Path dir = Path.of("data");

    @Option(names = "--ssd-groups", description = "SSD groups of three replicas, 1..10 (default ${DEFAULT-VALUE})")
    int ssdGroups = 2;

    @Option(names = "--port", description = "HTTP API port (default ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--base-port", description = "first SSD port: replica r of group g serves on base + 10g + r,"
            + " its peers on base + 100 + 10g + r (default ${DEFAULT-VALUE})")
    int basePort = 7100;

    @Option(names = "--processes", description = "run each replica as its own process (so it can be killed)")
    boolean processes;

    @Option(names = "--memory-nodes", description = "memory-tier nodes per group, one group per SSD group, on"
            + " base + 300 + 10g + n; 0 runs without a memory tier (default ${DEFAULT-VALUE})")
    int memoryNodes = 2;

    @Override
    public Integer call() throws Exception {
        System.out.println("Starting Sediment in " + dir.toAbsolutePath() + (processes ? " (a process per replica)" : "")
                + "...");
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dir.toAbsolutePath(), ssdGroups, basePort, port,
                processes, memoryNodes));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Sediment...");
            cluster.close();
            stopped.countDown();
        }, "sediment-local-stop"));
        System.out.println();
        System.out.println("Sediment is serving. Ctrl-C stops it.");
        cluster.describe().forEach(line -> System.out.println("  " + line));
        System.out.println("Try: curl -s -X POST " + cluster.httpUrl() + "/v1/timelines/42/items -H 'Content-Type: "
                + "application/json' -d '{\"value\":\"hello\"}'");
        stopped.await();
        return 0;
    }
}
