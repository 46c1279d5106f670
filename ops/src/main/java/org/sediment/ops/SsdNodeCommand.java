package org.sediment.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sediment.ssd.app.SsdNodeApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs one SSD node as its own process: Spring Boot shell, Netty data plane. */
@Command(name = "ssd-node", mixinStandardHelpOptions = true,
        description = {"Run one SSD replica (Spring Boot; health and metrics under /actuator).",
            "Settings are Spring properties, e.g.:",
            "  --sediment.ssd.group-id=1 --sediment.ssd.node-index=0",
            "  --sediment.ssd.members=10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000",
            "  --sediment.ssd.peers=10.0.0.1:7100,10.0.0.2:7100,10.0.0.3:7100",
            "  --sediment.ssd.peer-key-file=/etc/sediment/group-1.key   (bin/sediment peer-key FILE)",
            "  --sediment.ssd.data-dir=/data/ssd --server.port=8080"})
final class SsdNodeCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "--spring.property=value", description = "handed to Spring Boot")
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SsdNodeApplication.application().run(springArgs.toArray(String[]::new));
        Thread.currentThread().join(); // serve until the process is stopped
        return 0;
    }
}
