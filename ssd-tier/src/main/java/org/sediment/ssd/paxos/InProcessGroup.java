package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.sediment.common.time.RandomSource;

/**
 * A whole group in one object, with a perfect network and instant durability: for unit tests,
 * the core benchmark and demos. Messages are delivered in waves (everything sent while handling
 * wave k forms wave k+1), so {@link #lastRoundTrips()} counts network round trips exactly.
 * Single-threaded, deterministic.
 */
public final class InProcessGroup {
    private final PaxosConfig config;
    private final PaxosReplica[] replicas;
    private final Map<Long, OpOutcome> replies = new HashMap<>();
    private List<PaxosMessage> nextWave = new ArrayList<>();
    private long messagesSent;
    private int currentWave;
    private Predicate<PaxosMessage> drop = m -> false;
    private int lastReplyWave;

    public InProcessGroup(int groupSize, long seed) {
        this(PaxosConfig.defaults().withGroupSize(groupSize), seed);
    }

    public InProcessGroup(PaxosConfig config, long seed) {
        this.config = config;
        RandomSource random = RandomSource.seeded(seed);
        replicas = new PaxosReplica[config.groupSize()];
        for (int i = 0; i < config.groupSize(); i++) {
            replicas[i] = new PaxosReplica(i, config, random.split(),
                    RecoveredState.freshMember(new InMemoryAppliedState()));
        }
    }

    public PaxosReplica replica(int node) {
        return replicas[node];
    }

    /** Replaces a replica, e.g. by one restarted from {@link RecoveredState#lostDisk}. */
    public void restart(int node, RecoveredState state, long seed) {
        replicas[node] = new PaxosReplica(node, config, RandomSource.seeded(seed), state);
    }

    /** Messages matching the filter are lost (tests script specific message losses with it). */
    public void dropWhen(Predicate<PaxosMessage> filter) {
        drop = filter;
    }

    /** Submits without running the network: lets tests and benchmarks pile up a batch. */
    public void submitWrite(int node, long requestId, long timeline, Operation op) {
        absorb(node, replicas[node].submitWrite(requestId, timeline, op));
    }

    public void submitRead(int node, long requestId, long timeline) {
        absorb(node, replicas[node].submitRead(requestId, timeline));
    }

    /** Delivers one message now, ahead of the waves; returns what its replica sent in answer. */
    public List<PaxosMessage> deliver(PaxosMessage m) {
        Output out = replicas[m.to()].onMessage(m);
        List<PaxosMessage> sent = List.copyOf(out.messages);
        absorb(m.to(), out);
        return sent;
    }

    public void tickAll() {
        for (int i = 0; i < replicas.length; i++) {
            absorb(i, replicas[i].tick());
        }
    }

    /** Delivers messages until the network is quiet; returns the number of waves it took. */
    public int runUntilQuiet() {
        int waves = 0;
        currentWave = 0;
        lastReplyWave = 0;
        while (!nextWave.isEmpty()) {
            List<PaxosMessage> wave = nextWave;
            nextWave = new ArrayList<>();
            waves++;
            currentWave = waves;
            for (PaxosMessage m : wave) {
                if (!drop.test(m)) {
                    absorb(m.to(), replicas[m.to()].onMessage(m));
                }
            }
        }
        currentWave = 0;
        return waves;
    }

    /**
     * Network round trips before the last client reply of the most recent run: a request sent in
     * wave 1 and answered in wave 2 is one round trip.
     */
    public int lastRoundTrips() {
        return lastReplyWave / 2;
    }

    public OpOutcome takeReply(long requestId) {
        return replies.remove(requestId);
    }

    public long messagesSent() {
        return messagesSent;
    }

    private void absorb(int node, Output out) {
        long lastWrite = -1;
        for (StorageWrite w : out.writes) {
            lastWrite = w.seq();
        }
        nextWave.addAll(out.messages);
        messagesSent += out.messages.size();
        for (ClientReply r : out.replies) {
            replies.put(r.requestId(), r.outcome());
            lastReplyWave = currentWave;
        }
        if (lastWrite >= 0) {
            absorb(node, replicas[node].onDurable(lastWrite)); // instant durability
        }
    }
}
