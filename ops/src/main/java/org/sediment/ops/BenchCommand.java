package org.sediment.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Runs the JMH micro-benchmarks in {@code org.sediment.ops.bench}. Everything after
 * {@code bench} goes to JMH unchanged, e.g. {@code bench PartitionLookup -f 1 -wi 3 -i 5}.
 */
@Command(name = "bench", description = {"Run JMH micro-benchmarks (arguments go to JMH; -h lists them).",
    "Example: bench PartitionLookup -f 1 -wi 3 -i 5"})
final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "JMH-ARGS", description = "JMH arguments: benchmark regexp and options")
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
        return 0;
    }
}
