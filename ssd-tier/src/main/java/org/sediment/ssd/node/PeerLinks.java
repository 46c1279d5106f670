package org.sediment.ssd.node;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.ssd.node.wire.PaxosBatch;
import org.sediment.ssd.node.wire.PaxosBatchAck;
import org.sediment.ssd.node.wire.PeerMessages;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.PaxosMessage;
import org.sediment.ssd.paxos.Proposal;

/**
 * Sends the core's messages to the other replicas' peer ports: one {@code PaxosBatch} RPC per
 * peer per core batch, split so no frame exceeds the limit, sealed under the group's
 * {@link PeerKey}. Sending never waits and never retries: a lost
 * batch is a lost message, which the core's timeouts and catch-up already handle.
 *
 * <p>The core thread, the node's bottleneck, only groups messages: encoding and sealing run on
 * the RPC client's event loop, which writes the batch anyway (sealing on the core cost a tenth
 * of its time under load).
 */
final class PeerLinks implements Consumer<List<PaxosMessage>> {
    private static final long SEND_TIMEOUT_MS = 2_000;
    private static final int FRAME_HEADROOM = 4096;

    private final long groupId;
    private final int self;
    private final List<InetSocketAddress> members;
    private final RpcClient client;
    private final PeerKey key;
    private final int maxBatchBytes;
    private final Executor sealer;
    final LongAdder batchesSent = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder batchesFailed = new LongAdder();

    PeerLinks(long groupId, int self, List<InetSocketAddress> members, PeerKey key, RpcClient client, int maxFrameBytes) {
        this.key = key;
        this.groupId = groupId;
        this.self = self;
        this.members = List.copyOf(members);
        this.client = client;
        this.maxBatchBytes = maxFrameBytes - FRAME_HEADROOM;
        this.sealer = client.eventLoop();
    }

    @Override
    public void accept(List<PaxosMessage> messages) {
        List<List<PaxosMessage>> byPeer = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            byPeer.add(new ArrayList<>());
        }
        for (PaxosMessage m : messages) {
            if (m.to() != self && m.to() >= 0 && m.to() < members.size()) {
                byPeer.get(m.to()).add(m);
            }
        }
        for (int peer = 0; peer < byPeer.size(); peer++) {
            List<PaxosMessage> chunk = new ArrayList<>();
            long chunkBytes = 0;
            for (PaxosMessage m : byPeer.get(peer)) {
                long size = estimatedBytes(m);
                if (!chunk.isEmpty() && (chunkBytes + size > maxBatchBytes || chunk.size() == PaxosBatch.MAX_MESSAGES)) {
                    send(peer, chunk);
                    chunk = new ArrayList<>();
                    chunkBytes = 0;
                }
                chunk.add(m);
                chunkBytes += size;
            }
            if (!chunk.isEmpty()) {
                send(peer, chunk);
            }
        }
    }

    private void send(int peer, List<PaxosMessage> chunk) {
        batchesSent.increment();
        messagesSent.add(chunk.size());
        PaxosBatch batch = new PaxosBatch(groupId, self, chunk);
        try {
            sealer.execute(() -> client.call(members.get(peer), PeerMessages.PAXOS_BATCH, key.seal(batch),
                            CallOptions.of(0, SEND_TIMEOUT_MS))
                    .thenAccept(outcome -> {
                        if (outcome instanceof RpcOutcome.Failure<?>) {
                            batchesFailed.increment();
                        }
                    }));
        } catch (RejectedExecutionException closing) {
            batchesFailed.increment(); // the client is shutting down: a lost batch, as any other
        }
    }

    /** Upper-bound guess of a message's encoded size, to keep batches under the frame limit. */
    static long estimatedBytes(PaxosMessage m) {
        long fixed = 96;
        return fixed + switch (m) {
            case PaxosMessage.Accept a -> bytes(a.value());
            case PaxosMessage.AcceptReply r -> bytes(r.chosen());
            case PaxosMessage.PrepareReply r -> bytes(r.accepted());
            case PaxosMessage.Learn l -> bytes(l.value());
            case PaxosMessage.CatchUpReply c -> c.entries().stream().mapToLong(e -> 16 + bytes(e.value())).sum();
            case PaxosMessage.SnapshotReply s -> s.snapshot().items().stream().mapToLong(i -> 32L + i.value().length).sum()
                    + s.snapshot().coldLinks().stream().mapToLong(l -> 8L + l.length).sum();
            case PaxosMessage.VerifyReply v -> 24L * v.timelines().size();
            default -> 0L;
        };
    }

    private static long bytes(Proposal p) {
        if (p == null) {
            return 0;
        }
        long total = 32;
        for (Operation op : p.ops()) {
            total += 48 + switch (op) {
                case Operation.Append a -> a.value().length;
                case Operation.Put put -> put.value().length;
                case Operation.Delete d -> 0;
                case Operation.CommitColdLink c -> c.link().length;
            };
        }
        return total;
    }
}
