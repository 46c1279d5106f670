package org.sediment.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sediment.router.http.HttpApiApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sediment http}: the HTTP timeline API as its own process, following a route file. */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = {"Run the HTTP timeline API as its own process.",
                "Spring properties pass through, e.g. --sediment.http.routes-file=data/routes.yaml --server.port=8080"})
final class HttpApiCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PROPERTY", description = "--name=value Spring properties")
    List<String> properties = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        HttpApiApplication.application(null).run(properties.toArray(String[]::new));
        Thread.currentThread().join(); // serve until the process is stopped
        return 0;
    }
}
