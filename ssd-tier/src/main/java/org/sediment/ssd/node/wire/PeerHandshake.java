package org.sediment.ssd.node.wire;

/**
 * The messages with which a replica proves, once per connection, that it holds its group's peer
 * key and which member it is; the connection then carries Paxos batches without further proof.
 * Each side proves the key over both sides' fresh nonces, so a proof cannot be replayed on
 * another connection nor reflected back ({@code node.PeerKey#prove}).
 *
 * <pre>
 *   connecting member                      accepting member
 *   Hello(group, from, helloNonce)     →
 *                                      ←   Challenge(group, node, challengeNonce, serverProof)
 *   Proof(clientProof)                 →
 *                                      ←   Welcome(from)
 * </pre>
 */
public final class PeerHandshake {
    public static final int NONCE_BYTES = 16;
    public static final int PROOF_BYTES = 32;

    private PeerHandshake() {
    }

    /** Opens a handshake: who the caller says it is, and its nonce. */
    public record Hello(long groupId, int fromNode, byte[] nonce) {
        public Hello {
            checkLength(nonce, NONCE_BYTES, "nonce");
        }
    }

    /** The accepting member's nonce and its proof of the key over both nonces. */
    public record Challenge(long groupId, int node, byte[] nonce, byte[] proof) {
        public Challenge {
            checkLength(nonce, NONCE_BYTES, "nonce");
            checkLength(proof, PROOF_BYTES, "proof");
        }
    }

    /** The connecting member's proof of the key over both nonces. */
    public record Proof(byte[] proof) {
        public Proof {
            checkLength(proof, PROOF_BYTES, "proof");
        }
    }

    /** The connection now speaks for {@code member}. */
    public record Welcome(int member) {
    }

    private static void checkLength(byte[] bytes, int expected, String what) {
        if (bytes.length != expected) {
            throw new IllegalArgumentException("a " + what + " is " + expected + " bytes, got " + bytes.length);
        }
    }
}
