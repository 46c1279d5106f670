package org.sediment.ssd.node;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.rpc.Connection;
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

/**
 * The node's handlers on its peer port, which only the replicas of its group use: Paxos batches,
 * the empty-disk probe and the digest audit. The client port does not know these messages (it
 * answers them {@code UNKNOWN_TYPE}). A Paxos batch reaches the core only if it is for this
 * group and comes on a connection that proved, by the {@link PeerAuthentication} handshake, to be
 * the member the batch names; anything else is answered with a typed error and counted
 * ({@link #refused}), and changes nothing. Probes and digests only read.
 */
final class PeerApi {
    private final SsdNode node;
    private final PeerAuthentication authentication;
    /** Batches refused at the door: wrong group, or not from the member their connection proved to be. */
    final LongAdder refused = new LongAdder();

    PeerApi(SsdNode node, PeerAuthentication authentication) {
        this.node = node;
        this.authentication = authentication;
    }

    /** Batches and handshakes refused. */
    long refusedMessages() {
        return refused.sum() + authentication.refused.sum();
    }

    RpcServer.Builder register(RpcServer.Builder builder) {
        return builder
                .handleOnConnection(PeerMessages.PEER_HELLO,
                        (hello, header, connection) -> completedFuture(authentication.hello(hello, connection)))
                .handleOnConnection(PeerMessages.PEER_PROOF,
                        (proof, header, connection) -> completedFuture(authentication.proof(proof, connection)))
                .handleOnConnection(PeerMessages.PAXOS_BATCH,
                        (batch, header, connection) -> completedFuture(paxosBatch(batch, connection)))
                .handle(PeerMessages.GROUP_PROBE, (request, header) -> probe(request)) // counts timelines: a scan
                .handle(PeerMessages.TIMELINE_DIGESTS, (request, header) -> digests(request));
    }

    private RpcOutcome<PaxosBatchAck> paxosBatch(PaxosBatch batch, Connection connection) {
        NodeConfig config = node.config();
        if (batch.groupId() != config.groupId()) {
            refused.increment();
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "batch for group " + batch.groupId() + " sent to a node of group "
                    + config.groupId());
        }
        int member = PeerAuthentication.member(connection);
        if (member < 0 || member != batch.fromNode()) {
            refused.increment();
            return RpcOutcome.reject(ErrorCode.UNAUTHENTICATED, member < 0
                    ? "this connection has not proved group " + config.groupId() + "'s peer key"
                    : "this connection speaks for node " + member + ", not node " + batch.fromNode());
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
