package org.sediment.ssd.node;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.rpc.RpcServer;
import org.sediment.common.wire.ErrorCode;
import org.sediment.ssd.node.wire.DigestReply;
import org.sediment.ssd.node.wire.DigestRequest;
import org.sediment.ssd.node.wire.GroupProbe;
import org.sediment.ssd.node.wire.GroupProbeReply;
import org.sediment.ssd.node.wire.PaxosBatch;
import org.sediment.ssd.node.wire.PaxosBatchAck;
import org.sediment.ssd.node.wire.PeerMessages;
import org.sediment.ssd.node.wire.SealedPaxosBatch;

/**
 * The node's handlers on its peer port, which only the replicas of its group use: Paxos batches,
 * the empty-disk probe and the digest audit. The client port does not know these messages (it
 * answers them {@code UNKNOWN_TYPE}). A Paxos batch reaches the core only if it is for this
 * group, from another member, and sealed under the group's {@link PeerKey}; anything else is
 * answered with a typed error and counted ({@link #refused}), and changes nothing. Probes and
 * digests only read.
 */
final class PeerApi {
    private final SsdNode node;
    private final PeerKey key;
    /** Batches refused at the door: wrong group, not a member, or a seal that does not verify. */
    final LongAdder refused = new LongAdder();

    PeerApi(SsdNode node, PeerKey key) {
        this.node = node;
        this.key = key;
    }

    RpcServer.Builder register(RpcServer.Builder builder) {
        return builder
                .handleAsync(PeerMessages.PAXOS_BATCH, (request, header) -> completedFuture(paxosBatch(request)))
                .handle(PeerMessages.GROUP_PROBE, (request, header) -> probe(request)) // counts timelines: a scan
                .handle(PeerMessages.TIMELINE_DIGESTS, (request, header) -> digests(request));
    }

    private RpcOutcome<PaxosBatchAck> paxosBatch(SealedPaxosBatch sealed) {
        NodeConfig config = node.config();
        if (sealed.groupId() != config.groupId()) {
            refused.increment();
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "batch for group " + sealed.groupId() + " sent to a node of group "
                    + config.groupId());
        }
        if (sealed.fromNode() < 0 || sealed.fromNode() >= config.members().size() || sealed.fromNode() == config.nodeIndex()) {
            refused.increment();
            return RpcOutcome.reject(ErrorCode.UNAUTHENTICATED, "node " + sealed.fromNode() + " is not another member of group "
                    + config.groupId());
        }
        PaxosBatch batch = key.open(sealed);
        if (batch == null) {
            refused.increment();
            return RpcOutcome.reject(ErrorCode.UNAUTHENTICATED, "the batch's seal does not verify under group "
                    + config.groupId() + "'s peer key");
        }
        ReplicaDriver driver = node.driver();
        if (!node.ready() || driver == null || !driver.deliver(batch.messages())) {
            return RpcOutcome.success(new PaxosBatchAck(0)); // dropped: Paxos copes with loss
        }
        return RpcOutcome.success(new PaxosBatchAck(batch.messages().size()));
    }

    private RpcOutcome<GroupProbeReply> probe(GroupProbe probe) {
        ReplicaDriver driver = node.driver();
        boolean ready = node.ready() && driver != null;
        return RpcOutcome.success(new GroupProbeReply(node.config().groupId(), node.config().nodeIndex(),
                node.formatted(), ready, ready && driver.isVoting(), ready ? node.timelineCount() : 0,
                ready && driver.heldAcceptedValue()));
    }

    private RpcOutcome<DigestReply> digests(DigestRequest request) throws InterruptedException {
        if (request.groupId() != node.config().groupId()) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "digest request for group " + request.groupId()
                    + " sent to a node of group " + node.config().groupId());
        }
        if (node.mode() != SsdNode.Mode.VOTING) {
            return RpcOutcome.reject(ErrorCode.UNAVAILABLE, "node " + node.config().nodeIndex() + " is " + node.mode());
        }
        return RpcOutcome.success(new DigestReply(node.config().groupId(), DigestAudit.onCore(node, request.timelines())));
    }
}
