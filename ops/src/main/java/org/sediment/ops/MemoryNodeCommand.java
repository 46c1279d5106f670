package org.sediment.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sediment.memory.app.MemoryNodeApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs one memory node as its own process: Spring Boot shell, Netty data plane. */
@Command(name = "memory-node", mixinStandardHelpOptions = true,
        description = {"Run one memory-tier node (Spring Boot; health and metrics under /actuator).",
            "Settings are Spring properties, e.g.:",
            "  --sediment.memory.group=1 --sediment.memory.node=0 --sediment.memory.address=10.0.0.5:7400",
            "  --sediment.memory.routes-file=/etc/sediment/routes.yaml --sediment.memory.data-dir=/data/memory",
            "  --sediment.memory.budget-mib=4096 --server.port=8081"})
final class MemoryNodeCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "--spring.property=value", description = "handed to Spring Boot")
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        MemoryNodeApplication.application().run(springArgs.toArray(String[]::new));
        Thread.currentThread().join(); // serve until the process is stopped
        return 0;
    }
}
