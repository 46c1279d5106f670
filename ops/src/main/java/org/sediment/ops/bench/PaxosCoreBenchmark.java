package org.sediment.ops.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sediment.ssd.paxos.InProcessGroup;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;

/**
 * The Paxos core alone: a 3-replica group in one thread ({@link InProcessGroup}: perfect network,
 * instant durability), so the figures are the cost of the protocol logic, apply included, with
 * no I/O. Each benchmark reports writes decided per second and, as auxiliary counters, messages
 * per second; messages per write is their ratio (also printed at the end of each trial).
 *
 * <pre>
 * cd /work/wt-paxos &amp;&amp; ./mvnw -o -q -pl ops -am package -DskipTests &amp;&amp; \
 *   java -cp "ops/target/classes:ops/target/lib/*" org.openjdk.jmh.Main PaxosCore -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PaxosCoreBenchmark {

    private static final long TIMELINE = 7;
    private static final int BATCH = 64;

    @State(Scope.Thread)
    public static class Group {
        InProcessGroup group;
        long nextId;
        long messagesAtStart;
        long writesAtStart;

        @Setup(Level.Trial)
        public void setUp() {
            group = new InProcessGroup(3, 20261121L);
            nextId = 0;
            messagesAtStart = 0;
            writesAtStart = 0;
        }

        /** Puts over a fixed key range so the applied state stays bounded however long it runs. */
        Operation nextPut() {
            long id = ++nextId;
            return new Operation.Put(id, Operation.UNCONDITIONAL, 1_000 + (id & 1023), 0, new byte[] {(byte) id});
        }

        OpOutcome write(int node) {
            Operation op = nextPut();
            group.submitWrite(node, op.opId(), TIMELINE, op);
            group.runUntilQuiet();
            OpOutcome outcome = group.takeReply(op.opId());
            if (!(outcome instanceof OpOutcome.Written)) {
                throw new IllegalStateException("write not decided: " + outcome);
            }
            return outcome;
        }

        @TearDown(Level.Trial)
        public void report() {
            System.out.printf("%n  [%d writes, %d messages: %.2f messages per write]%n", nextId,
                    group.messagesSent(), group.messagesSent() / (double) Math.max(1, nextId));
        }
    }

    /** Messages sent between replicas and writes decided, as rates next to the score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        public long messages;
        public long writes;
    }

    /** The same replica writes every time: after the first write, fast accept (one round trip). */
    @Benchmark
    public OpOutcome fastPath(Group g, Counters c) {
        long before = g.group.messagesSent();
        OpOutcome out = g.write(0);
        c.messages += g.group.messagesSent() - before;
        c.writes++;
        return out;
    }

    /** Two replicas take turns: every write needs prepare and accept (two round trips). */
    @Benchmark
    public OpOutcome alternatingProposers(Group g, Counters c) {
        long before = g.group.messagesSent();
        OpOutcome out = g.write((int) (g.nextId & 1));
        c.messages += g.group.messagesSent() - before;
        c.writes++;
        return out;
    }

    /** A hot timeline: 64 concurrent writes to one replica decided in a couple of entries. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long hotTimelineBatch(Group g, Counters c) {
        long before = g.group.messagesSent();
        long firstId = g.nextId + 1;
        for (int i = 0; i < BATCH; i++) {
            Operation op = g.nextPut();
            g.group.submitWrite(0, op.opId(), TIMELINE, op);
        }
        g.group.runUntilQuiet();
        long decided = 0;
        for (long id = firstId; id <= g.nextId; id++) {
            if (g.group.takeReply(id) instanceof OpOutcome.Written) {
                decided++;
            }
        }
        if (decided != BATCH) {
            throw new IllegalStateException("only " + decided + " of " + BATCH + " writes decided");
        }
        c.messages += g.group.messagesSent() - before;
        c.writes += BATCH;
        return decided;
    }
}
