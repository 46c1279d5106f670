package org.sediment.ssd.node.wire;

import java.util.List;
import org.sediment.ssd.paxos.PaxosMessage;

/**
 * Paxos messages of one group from one node to one peer, sent as one frame: batching peer
 * messages is what keeps a busy group from paying a round trip per message (DESIGN §3,
 * "Batching"). Answered by a {@link PaxosBatchAck}; the replies to the messages travel in the
 * peer's own batches.
 *
 * @param messages at most {@link #MAX_MESSAGES}, every one sent by {@code fromNode}
 */
public record PaxosBatch(long groupId, int fromNode, List<PaxosMessage> messages) {

    public static final int MAX_MESSAGES = 65_536;

    public PaxosBatch {
        if (fromNode < 0) {
            throw new IllegalArgumentException("fromNode must be ≥ 0, got " + fromNode);
        }
        if (messages == null) {
            throw new IllegalArgumentException("messages must not be null");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw new IllegalArgumentException(
                    "a batch holds at most " + MAX_MESSAGES + " messages, got " + messages.size());
        }
        messages = List.copyOf(messages);
        for (PaxosMessage message : messages) {
            if (message.from() != fromNode) {
                throw new IllegalArgumentException("a batch from node " + fromNode + " carries a message from node "
                        + message.from() + ": " + message);
            }
        }
    }
}
