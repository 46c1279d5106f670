package org.sediment.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator CLI: {@code bin/sediment --help}. */
@Command(name = "sediment", mixinStandardHelpOptions = true, version = "sediment 0.1.0",
        description = "Sediment: tiered storage for time-ordered, ever-growing data.",
        subcommands = {
            LocalCommand.class,
            StatusCommand.class,
            HttpApiCommand.class,
            PartitionMapCommand.class,
            RoutesCommand.class,
            BenchCommand.class,
            org.sediment.ops.load.SsdLoadCommand.class,
            org.sediment.ops.load.HttpLoadCommand.class,
            org.sediment.ops.load.MemoryLoadCommand.class,
            org.sediment.ops.load.LogLoadCommand.class,
            SsdNodeCommand.class,
            MemoryNodeCommand.class,
            HddNodeCommand.class,
            PeerKeyCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The CLI as configured for use; tests drive the same object. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // "bench -f 1 -wi 3" hands JMH's own options through untouched.
        cli.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        // "ssd-node --sediment.ssd.node-index=1" hands Spring properties through the same way.
        cli.getSubcommands().get("ssd-node").setUnmatchedOptionsArePositionalParams(true);
        cli.getSubcommands().get("memory-node").setUnmatchedOptionsArePositionalParams(true);
        cli.getSubcommands().get("hdd-node").setUnmatchedOptionsArePositionalParams(true);
        cli.getSubcommands().get("http").setUnmatchedOptionsArePositionalParams(true);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
