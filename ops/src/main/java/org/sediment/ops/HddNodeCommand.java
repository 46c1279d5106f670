package org.sediment.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sediment.hdd.app.HddNodeApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs one HDD node as its own process: Spring Boot shell, Netty data plane. */
@Command(name = "hdd-node", mixinStandardHelpOptions = true,
        description = {"Run one HDD-tier node (Spring Boot; health and metrics under /actuator).",
            "Settings are Spring properties, e.g.:",
            "  --sediment.hdd.group=0 --sediment.hdd.node=1 --sediment.hdd.address=10.0.0.7:7500",
            "  --sediment.hdd.disks=/mnt/d0/sediment,/mnt/d1/sediment",
            "  --sediment.hdd.peers=10.0.0.6:7500,10.0.0.8:7500 --server.port=8082"})
final class HddNodeCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "--spring.property=value", description = "handed to Spring Boot")
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        HddNodeApplication.application().run(springArgs.toArray(String[]::new));
        Thread.currentThread().join(); // serve until the process is stopped
        return 0;
    }
}
