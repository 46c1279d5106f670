package org.sediment.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sediment.ssd.node.PeerKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Makes the key an SSD group's replicas seal their Paxos traffic with. */
@Command(name = "peer-key", mixinStandardHelpOptions = true,
        description = "Write a new random peer key for one SSD group to FILE (readable by its owner only); give the same "
                + "file to every replica of the group (--sediment.ssd.peer-key-file). Refuses to overwrite a file.")
final class PeerKeyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "where to write the key")
    Path file;

    @Override
    public Integer call() {
        if (Files.exists(file)) {
            spec.commandLine().getErr().printf("%s exists: a group's key is not replaced by accident%n", file);
            return 1;
        }
        PeerKey.generate().write(file);
        spec.commandLine().getOut().printf("%s: a new peer key%n", file);
        return 0;
    }
}
