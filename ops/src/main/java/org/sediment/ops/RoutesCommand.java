package org.sediment.ops;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigException;
import org.sediment.router.config.RouteConfigParser;
import org.sediment.router.config.Tier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Validates a route config before it is published. */
@Command(name = "routes", mixinStandardHelpOptions = true,
        description = "Check a route config file: prints a summary, or exactly what is wrong (exit 1).")
final class RoutesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "route config (YAML)")
    Path file;

    @Override
    public Integer call() {
        try {
            RouteConfig config = RouteConfigParser.parse(file);
            spec.commandLine().getOut().printf("%s: valid, version %d, %d buckets, groups: memory %d, ssd %d, hdd %d%n",
                    file, config.version(), config.layout().bucketCount(), config.groups(Tier.MEMORY).size(),
                    config.groups(Tier.SSD).size(), config.groups(Tier.HDD).size());
            return 0;
        } catch (RouteConfigException e) {
            spec.commandLine().getErr().printf("%s: invalid: %s%n", file, e.getMessage());
            return 1;
        }
    }
}
