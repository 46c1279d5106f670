package org.sediment.ops.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.sediment.ssd.log.GroupCommitConfig;
import org.sediment.ssd.log.GroupCommitLog;
import org.sediment.ssd.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The group-commit log alone, as an SSD node uses it (its default config, a trim once a second
 * like a checkpoint): several logs on this disk, as the three replicas of the local group share
 * it, each with writers that append a record and wait for it to be durable. Each round runs the
 * logs twice, first creating a new file whenever one fills, then writing over trimmed files, so
 * the ratio of the two is measured in one run.
 */
@Command(name = "load-log", mixinStandardHelpOptions = true,
        description = "Load-test the group-commit log: new files against reused ones, same run.")
public final class LogLoadCommand implements Callable<Integer> {

    @Option(names = "--logs", description = "logs written at once (default ${DEFAULT-VALUE})")
    int logs = 3;

    @Option(names = "--writers", description = "writers per log, each waiting for its record (default ${DEFAULT-VALUE})")
    int writers = 16;

    @Option(names = "--record-bytes", description = "record size (default ${DEFAULT-VALUE}: a 1 KiB item's log record)")
    int recordBytes = 1100;

    @Option(names = "--seconds", description = "measured seconds per phase (default ${DEFAULT-VALUE})")
    int seconds = 20;

    @Option(names = "--warmup", description = "unmeasured seconds before each phase (default ${DEFAULT-VALUE})")
    int warmupSeconds = 5;

    @Option(names = "--rounds", description = "times both phases run, alternating (default ${DEFAULT-VALUE})")
    int rounds = 2;

    @Option(names = "--dir", description = "where the logs go (default: a new temporary directory, deleted after)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path base = dir != null ? dir : Files.createTempDirectory("sediment-load-log-");
        GroupCommitConfig nodeLog = NodeConfig.defaultLog();
        System.out.printf("load-log %s: %d logs × %d writers, %d B records, %d s per phase, logs in %s%n",
                LocalDate.now(), logs, writers, recordBytes, seconds, base);
        List<String> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            rows.add(phase("new files, round " + round, nodeLog.withSpareFilesMax(0), base.resolve("new-" + round)));
            rows.add(phase("reused files, round " + round, nodeLog, base.resolve("reused-" + round)));
        }
        System.out.println();
        System.out.println("| log files | appends/s | p50 ms | p99 ms | p99.9 ms | max ms | fsyncs/s | files reused |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        if (dir == null) {
            SsdLoadCommand.deleteRecursively(base);
        }
        return 0;
    }

    private String phase(String name, GroupCommitConfig config, Path phaseDir) throws Exception {
        List<GroupCommitLog> opened = new ArrayList<>();
        for (int i = 0; i < logs; i++) {
            opened.add(GroupCommitLog.open(phaseDir.resolve("log-" + i), config, (seq, payload) -> { }, seq -> { }));
        }
        Recorder recorder = new Recorder(3);
        LongAdder appends = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        byte[] record = new byte[recordBytes];
        for (GroupCommitLog log : opened) {
            for (int w = 0; w < writers; w++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        while (running.get()) {
                            long began = System.nanoTime();
                            log.appendDurably(record);
                            recorder.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - began)));
                            appends.increment();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
        }
        Thread trimmer = Thread.ofPlatform().name("load-log trim").start(() -> {
            long[] mark = new long[opened.size()];
            while (running.get()) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < opened.size(); i++) {
                    opened.get(i).trimBelow(mark[i]); // keep the last second, as a checkpoint would
                    mark[i] = opened.get(i).durableSeq();
                }
            }
        });
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
        recorder.getIntervalHistogram();
        long fsyncsBefore = opened.stream().mapToLong(GroupCommitLog::fsyncs).sum();
        long appendsBefore = appends.sum();
        long began = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        Histogram latency = recorder.getIntervalHistogram();
        double elapsed = (System.nanoTime() - began) / 1e9;
        long measured = appends.sum() - appendsBefore;
        long fsyncs = opened.stream().mapToLong(GroupCommitLog::fsyncs).sum() - fsyncsBefore;
        long reused = opened.stream().mapToLong(GroupCommitLog::filesReused).sum();
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        trimmer.interrupt();
        trimmer.join();
        opened.forEach(GroupCommitLog::close);
        SsdLoadCommand.deleteRecursively(phaseDir);
        String row = String.format("| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %d |", name, measured / elapsed,
                ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
                ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()), fsyncs / elapsed, reused);
        System.out.println("  " + row);
        return row;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
