package org.sediment.ssd.node.wire;

/**
 * A {@link PaxosBatch} as it travels between the replicas of a group: its encoded bytes and an
 * HMAC-SHA256 seal over them under the group's peer key ({@code node.PeerKey}). A replica opens
 * only batches whose seal verifies and whose inner sender matches {@code fromNode}; nothing else
 * reaches its Paxos core. A replayed batch opens, and is harmless: Paxos takes duplicated
 * messages in its stride.
 *
 * @param batch the {@link PeerMessages#BATCH} encoding of the batch
 * @param seal  HMAC-SHA256 of {@code batch}
 */
public record SealedPaxosBatch(long groupId, int fromNode, byte[] batch, byte[] seal) {

    public static final int SEAL_BYTES = 32;

    public SealedPaxosBatch {
        if (seal.length != SEAL_BYTES) {
            throw new IllegalArgumentException("a seal is " + SEAL_BYTES + " bytes, got " + seal.length);
        }
    }
}
