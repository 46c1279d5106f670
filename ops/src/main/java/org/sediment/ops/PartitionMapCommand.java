package org.sediment.ops;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sediment.common.block.BlockLayout;
import org.sediment.common.partition.PartitionMap;
import org.sediment.common.partition.PartitionMapGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows how the static partition map splits the ring and the buckets; regenerates its table. */
@Command(name = "partition-map", mixinStandardHelpOptions = true,
        description = {"Show how the static partition map splits the ring and the buckets for a group count,",
            "or regenerate the committed table (--write)."})
final class PartitionMapCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--groups", description = "group count, 1..1000 (default: ${DEFAULT-VALUE})", defaultValue = "1000")
    int groups;

    @Option(names = "--buckets", description = "bucket count (default: ${DEFAULT-VALUE})", defaultValue = "65536")
    int buckets;

    @Option(names = "--write", paramLabel = "FILE",
            description = "regenerate the table from the committed seed and write it to FILE")
    Path write;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (write != null) {
            byte[] table = PartitionMapGenerator.generate(PartitionMapGenerator.DEFAULT_SEED, PartitionMapGenerator.MAX_GROUPS);
            Files.write(write, table);
            out.printf("wrote %d bytes (seed %#x, %d groups) to %s%n", table.length,
                    PartitionMapGenerator.DEFAULT_SEED, PartitionMapGenerator.MAX_GROUPS, write);
            return 0;
        }
        PartitionMap map = PartitionMap.forGroups(groups);
        long[] shares = map.shares();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long share : shares) {
            min = Math.min(min, share);
            max = Math.max(max, share);
        }
        BlockLayout layout = new BlockLayout(buckets, BlockLayout.DEFAULT_WINDOW_MILLIS);
        int[] perGroup = new int[groups];
        for (int bucket = 0; bucket < buckets; bucket++) {
            perGroup[layout.groupOfBucket(bucket, map)]++;
        }
        int bucketMin = Integer.MAX_VALUE;
        int bucketMax = 0;
        for (int count : perGroup) {
            bucketMin = Math.min(bucketMin, count);
            bucketMax = Math.max(bucketMax, count);
        }
        out.printf("groups            %d%n", groups);
        out.printf("ring ranges       %d (%.1f per group)%n", map.rangeCount(), map.rangeCount() / (double) groups);
        out.printf("ring share        min %d, max %d points: max/min = %.5f (bound 1.02)%n", min, max, max / (double) min);
        out.printf("buckets per group min %d, max %d of %d buckets (ideal %.2f)%n",
                bucketMin, bucketMax, buckets, buckets / (double) groups);
        return 0;
    }
}
