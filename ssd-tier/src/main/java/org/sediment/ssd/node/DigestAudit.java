package org.sediment.ssd.node;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.ssd.node.wire.DigestReply;
import org.sediment.ssd.node.wire.DigestRequest;
import org.sediment.ssd.node.wire.PeerMessages;
import org.sediment.ssd.node.wire.TimelineDigest;
import org.sediment.ssd.storage.SegmentedStore;
import org.sediment.ssd.timeline.TimelineState;

/**
 * Checks every timeline a node holds against its peers: each side hashes the timeline's rows
 * and cold links at the version it holds, and where a peer holds the same version the hashes
 * must agree. A node runs it after it relearned a lost disk, so a bug in catch-up or snapshot
 * install shows up as a count in its health instead of a silent divergence.
 *
 * <p>Digests are computed on the core thread, a few timelines per turn: there no apply can run
 * between reading a timeline's version and its rows. A timeline whose versions differ (writes
 * keep coming) is asked again, up to {@link #ROUNDS} times, and then counted as unsettled.
 */
public final class DigestAudit {
    private static final System.Logger LOG = System.getLogger(DigestAudit.class.getName());

    static final int ROUNDS = 5;
    private static final int TIMELINES_PER_REQUEST = 512;
    private static final int TIMELINES_PER_CORE_TURN = 32;
    private static final long RETRY_PAUSE_MS = 200;

    public enum State { NOT_RUN, RUNNING, DONE, FAILED }

    /**
     * @param verified   timelines a peer at the same version agreed on
     * @param mismatched timelines a peer at the same version disagreed on: the replicas diverged
     * @param unsettled  timelines no peer held at our version in any round (busy ones)
     */
    public record Result(State state, int verified, int mismatched, int unsettled) {
        static final Result NOT_RUN = new Result(State.NOT_RUN, 0, 0, 0);
        static final Result RUNNING = new Result(State.RUNNING, 0, 0, 0);
    }

    private final SsdNode node;

    DigestAudit(SsdNode node) {
        this.node = node;
    }

    Result run() throws InterruptedException {
        List<Long> pending = new ArrayList<>(node.store().timelines());
        pending.sort(Long::compareUnsigned);
        int verified = 0;
        List<Long> mismatched = new ArrayList<>();
        for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
            if (round > 0) {
                Thread.sleep(RETRY_PAUSE_MS);
            }
            List<Long> again = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += TIMELINES_PER_REQUEST) {
                List<Long> chunk = pending.subList(from, Math.min(pending.size(), from + TIMELINES_PER_REQUEST));
                Map<Long, TimelineDigest> mine = local(chunk);
                List<Map<Long, TimelineDigest>> theirs = askPeers(chunk);
                for (long timeline : chunk) {
                    switch (compare(mine.get(timeline), theirs)) {
                        case AGREE -> verified++;
                        case DIFFER -> mismatched.add(timeline);
                        case NOT_COMPARABLE -> again.add(timeline);
                    }
                }
            }
            pending = again;
        }
        for (long timeline : mismatched) {
            LOG.log(System.Logger.Level.ERROR, "node {0} of group {1}: timeline {2} differs from a peer at the same version",
                    node.config().nodeIndex(), node.config().groupId(), Long.toUnsignedString(timeline));
        }
        return new Result(State.DONE, verified, mismatched.size(), pending.size());
    }

    private enum Verdict { AGREE, DIFFER, NOT_COMPARABLE }

    private static Verdict compare(TimelineDigest mine, List<Map<Long, TimelineDigest>> theirs) {
        Verdict verdict = Verdict.NOT_COMPARABLE;
        for (Map<Long, TimelineDigest> peer : theirs) {
            TimelineDigest other = peer.get(mine.timeline());
            if (other != null && other.version() == mine.version()) {
                if (other.digest() != mine.digest()) {
                    return Verdict.DIFFER;
                }
                verdict = Verdict.AGREE;
            }
        }
        return verdict;
    }

    private Map<Long, TimelineDigest> local(List<Long> timelines) throws InterruptedException {
        Map<Long, TimelineDigest> digests = new HashMap<>();
        for (TimelineDigest d : onCore(node, timelines)) {
            digests.put(d.timeline(), d);
        }
        return digests;
    }

    /** Each peer's digests of {@code timelines}; a peer that does not answer gives an empty map. */
    private List<Map<Long, TimelineDigest>> askPeers(List<Long> timelines) throws InterruptedException {
        List<Map<Long, TimelineDigest>> answers = new ArrayList<>();
        for (int peer = 0; peer < node.config().members().size(); peer++) {
            if (peer == node.config().nodeIndex()) {
                continue;
            }
            Map<Long, TimelineDigest> digests = new HashMap<>();
            try {
                RpcOutcome<DigestReply> outcome = node.client().call(node.config().peers().get(peer),
                        PeerMessages.TIMELINE_DIGESTS, new DigestRequest(node.config().groupId(), node.config().nodeIndex(), timelines),
                        CallOptions.of(0, 30_000)).get();
                if (outcome instanceof RpcOutcome.Success<DigestReply> s) {
                    s.body().digests().forEach(d -> digests.put(d.timeline(), d));
                }
            } catch (ExecutionException e) {
                // a peer that cannot answer simply verifies nothing this round
            }
            answers.add(digests);
        }
        return answers;
    }

    /**
     * Digests of {@code timelines} computed on {@code node}'s core thread, a consistent view of
     * each; a few per turn, so requests keep flowing between turns.
     */
    static List<TimelineDigest> onCore(SsdNode node, List<Long> timelines) throws InterruptedException {
        SegmentedStore store = node.store();
        List<TimelineDigest> digests = new ArrayList<>(timelines.size());
        for (int from = 0; from < timelines.size(); from += TIMELINES_PER_CORE_TURN) {
            List<Long> turn = timelines.subList(from, Math.min(timelines.size(), from + TIMELINES_PER_CORE_TURN));
            try {
                digests.addAll(node.driver().onCoreThread(() -> turn.stream().map(t -> digest(store, t)).toList())
                        .get(node.config().requestTimeoutMs() * 10, TimeUnit.MILLISECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("digests not computed on node " + node.config().nodeIndex() + ": " + e, e);
            }
        }
        return digests;
    }

    /** SHA-256 over the timeline's rows (newest first), cold links and remembered requests, cut to 64 bits. */
    static TimelineDigest digest(SegmentedStore store, long timeline) {
        MessageDigest sha = sha256();
        TimelineState state = store.state(timeline);
        ByteBuffer lengths = ByteBuffer.allocate(Integer.BYTES);
        store.scan(timeline, null, item -> {
            sha.update(item.key().encode());
            sha.update(lengths.clear().putInt(item.value().length).array());
            sha.update(item.value());
        });
        for (byte[] link : state.coldLinks()) {
            sha.update(lengths.clear().putInt(link.length).array());
            sha.update(link);
        }
        ByteBuffer requests = ByteBuffer.allocate(state.requests().encodedBytes());
        state.requests().encodeInto(requests);
        sha.update(requests.array());
        return new TimelineDigest(timeline, state.version(), ByteBuffer.wrap(sha.digest()).getLong());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
