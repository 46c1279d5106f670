package org.sediment.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sediment.ssd.node.EmbeddedSsdGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A whole SSD group in this process on loopback ports, for trying the system out. */
@Command(name = "local-ssd-group", mixinStandardHelpOptions = true,
        description = "Run a 3-replica SSD group on loopback until stopped (Ctrl-C).")
final class LocalGroupCommand implements Callable<Integer> {

    @Option(names = "--dir", description = "data directory (default: a new temporary directory)")
    Path dir;

    @Option(names = "--replicas", description = "group size, odd (default ${DEFAULT-VALUE})")
    int replicas = 3;

    @Override
    public Integer call() throws Exception {
        Path base = dir != null ? dir : Files.createTempDirectory("sediment-ssd-");
        EmbeddedSsdGroup group = EmbeddedSsdGroup.start(1, replicas, base, c -> c);
        Runtime.getRuntime().addShutdownHook(new Thread(group::close));
        System.out.println("SSD group 1 serving; data in " + base);
        for (int i = 0; i < group.size(); i++) {
            System.out.println("  replica " + i + ": " + group.addresses().get(i) + " " + group.node(i).mode());
        }
        Thread.currentThread().join();
        return 0;
    }
}
