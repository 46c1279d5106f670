package org.sediment.ops.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.ReadMode;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.ops.load.AppendLedger.Ack;
import org.sediment.ops.load.LedgerCheck.Stored;
import org.sediment.ops.load.LedgerCheck.Tally;
import org.sediment.router.ssd.SsdGroupClient;
import org.sediment.ssd.node.SsdNode;

/**
 * Crash safety of a real group under load: three {@code ssd-node} processes on loopback, clients
 * appending unique values to many timelines throughout, and two different replicas killed with
 * SIGKILL in turn, each started again on its data and voting before the next is killed. Then:
 * <ul>
 *   <li>every append answered OK is in its timeline at the seq its reply named, byte for byte,
 *       as strong reads through the group see it, and as each replica's own strong reads see it;</li>
 *   <li>no stored value is one that no client sent to that timeline;</li>
 *   <li>appends went on being acknowledged while a replica was down;</li>
 *   <li>no value is stored twice: a retried append carries its first attempt's request id, so
 *       the group applies it once (before request ids, every run stored 1 to 12 appends twice).</li>
 * </ul>
 * It prints one line of figures: appends acknowledged and failed, duplicates, failed appends that
 * were stored anyway, and the longest time no client got an acknowledgement. The node logs and
 * data stay in the temporary directory when it fails.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // a hang guard; a run takes about a minute
class SsdReplicaKillTest {
    private static final long GROUP = 1;
    private static final int CLIENTS = 16;
    private static final long FIRST_TIMELINE = 1;
    private static final int TIMELINES = 100;
    private static final long SEED = 20_261_204L;
    /** How long the clients write with every replica up, and then with each victim down. */
    private static final Duration WRITE_PHASE = Duration.ofSeconds(4);
    /** The replicas killed, in this order. */
    private static final int[] VICTIMS = {0, 1};
    /**
     * The nodes run with Netty's default leak detection, not the paranoid level of this JVM:
     * paranoid tracks every buffer, at a cost Netty calls high, on the two cores the three nodes
     * and the clients share, and what it found would only reach the node logs.
     */
    private static final List<String> NODE_JVM_FLAGS = List.of("-Dio.netty.leakDetectionLevel=simple");
    /** Above the node's own request deadline (2 s), so a slow decision is answered TIMEOUT by the node. */
    private static final long CLIENT_TIMEOUT_MS = 5_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private SsdNodeProcesses group;
    private RpcClient rpc;

    @AfterEach
    void killTheGroup() throws InterruptedException, IOException {
        if (rpc != null) {
            rpc.close();
        }
        if (group != null) {
            for (int i = 0; i < group.size(); i++) {
                group.kill(i);
                Files.deleteIfExists(group.versionCacheFile(i)); // outside the data directory
            }
            group.close();
        }
    }

    @Test
    void everyAcknowledgedAppendSurvivesTwoReplicasKilledInTurn() throws Exception {
        group = SsdNodeProcesses.start(GROUP, 3, dir, NODE_JVM_FLAGS);
        rpc = new RpcClient(RpcClientConfig.defaults(), SsdNode.registry());
        SsdGroupClient client = new SsdGroupClient(group.addresses(), rpc, 0, CLIENT_TIMEOUT_MS, 3, 50);

        Events events = new Events();
        AppendLedger ledger = AppendLedger.start(client, CLIENTS, FIRST_TIMELINE, TIMELINES, SEED);
        Map<Integer, Long> ackedWhileDown = new HashMap<>();
        try {
            Thread.sleep(WRITE_PHASE);
            for (int victim : VICTIMS) {
                group.kill(victim);
                events.add("node " + victim + " killed");
                long ackedBefore = ledger.acked();
                Thread.sleep(WRITE_PHASE);
                ackedWhileDown.put(victim, ledger.acked() - ackedBefore);
                group.restart(victim);
                events.add("node " + victim + " voting");
            }
        } finally {
            ledger.stop();
        }
        events.add("writers stopped");

        List<Ack> acks = ledger.acks();
        List<Stored> stored = readAll(client);
        Tally tally = Tally.of(ledger::sender, acks, stored);
        List<Ack> lost = LedgerCheck.missing(acks, stored);
        List<Integer> lostPerReplica = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            SsdGroupClient replica = new SsdGroupClient(List.of(group.addresses().get(i)), rpc, 0, CLIENT_TIMEOUT_MS, 20, 100);
            lostPerReplica.add(LedgerCheck.missing(acks, readAll(replica)).size());
        }
        Gap gap = Gap.longest(acks);

        System.out.printf("SsdReplicaKillTest: %d appends acked, %d failed %s, %d duplicates%s (acked at %s), "
                        + "%d failed but stored, %d acked lost (per replica %s), longest gap between acks %d ms from %s; "
                        + "%s; acked while down %s%n",
                acks.size(), ledger.failed(), ledger.failures(), tally.duplicates(), "",
                tally.duplicatedAcks().stream().map(a -> events.at(a.ackedNanos())).toList(), tally.failedButStored(),
                lost.size(), lostPerReplica, gap.millis(), events.at(gap.fromNanos()), events, ackedWhileDown);

        String where = "; node logs and data in " + dir;
        assertThat(ledger.unexpected()).as("errors other than an answer or SsdCallException" + where).isEmpty();
        assertThat(lost.size()).as("acknowledged appends missing from strong reads of the group, e.g. %s%s",
                first(lost), where).isZero();
        assertThat(lostPerReplica).as("acknowledged appends missing from each replica's strong reads" + where)
                .containsOnly(0);
        assertThat(tally.foreign().size()).as("stored values no client sent to that timeline, e.g. %s%s",
                first(tally.foreign()), where).isZero();
        assertThat(ackedWhileDown.values()).as("appends acknowledged while one replica was down" + where)
                .allMatch(n -> n > 0);
        assertThat(tally.duplicates()).as("values stored twice (retried appends)" + where).isZero();
    }

    private static <T> List<T> first(List<T> list) {
        return list.subList(0, Math.min(5, list.size()));
    }

    /** Every item of every timeline the clients wrote, read with strong reads, page after page to the end. */
    private static List<Stored> readAll(SsdGroupClient from) {
        List<Stored> all = new ArrayList<>();
        for (long timeline = FIRST_TIMELINE; timeline < FIRST_TIMELINE + TIMELINES; timeline++) {
            PageReply page = from.page(PageRequest.newest(timeline, ReadMode.STRONG, SsdApi.MAX_PAGE_ITEMS));
            while (true) {
                assertThat(page.coldLinks()).as("cold links of timeline %d: nothing sinks here", timeline).isEmpty();
                if (page.items().isEmpty()) {
                    break;
                }
                for (TimelineItem item : page.items()) {
                    all.add(new Stored(timeline, item));
                }
                TimelineItem last = page.items().getLast();
                page = from.page(PageRequest.olderThan(timeline, ReadMode.STRONG, last.ts(), last.seq(), SsdApi.MAX_PAGE_ITEMS));
            }
        }
        return all;
    }

    /** The longest time between two acknowledgements, of any clients, and when it began. */
    private record Gap(long millis, long fromNanos) {
        static Gap longest(List<Ack> acks) {
            long[] times = acks.stream().mapToLong(Ack::ackedNanos).sorted().toArray();
            Gap longest = new Gap(0, times.length > 0 ? times[0] : 0);
            for (int i = 1; i < times.length; i++) {
                long millis = TimeUnit.NANOSECONDS.toMillis(times[i] - times[i - 1]);
                if (millis > longest.millis) {
                    longest = new Gap(millis, times[i - 1]);
                }
            }
            return longest;
        }
    }

    /** What the test did when, in seconds since it began writing. */
    private static final class Events {
        private final long beganNanos = System.nanoTime();
        private final List<String> names = new ArrayList<>();
        private final List<Long> nanos = new ArrayList<>();

        void add(String name) {
            names.add(name);
            nanos.add(System.nanoTime());
        }

        /** e.g. {@code +12.3 s (0.1 s after node 0 killed)}. */
        String at(long instantNanos) {
            String since = "";
            for (int i = 0; i < names.size() && nanos.get(i) <= instantNanos; i++) {
                since = String.format(" (%.1f s after %s)", seconds(instantNanos - nanos.get(i)), names.get(i));
            }
            return String.format("+%.1f s%s", seconds(instantNanos - beganNanos), since);
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                parts.add(String.format("%s +%.1f s", names.get(i), seconds(nanos.get(i) - beganNanos)));
            }
            return String.join(", ", parts);
        }

        private static double seconds(long nanos) {
            return nanos / 1e9;
        }
    }
}
