package org.sediment.ssd.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.rpc.Connection;
import org.sediment.common.rpc.Greeting;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.wire.ErrorCode;
import org.sediment.ssd.node.PeerKey.Side;
import org.sediment.ssd.node.wire.PeerHandshake;
import org.sediment.ssd.node.wire.PeerMessages;

/**
 * Both ends of the {@link PeerHandshake} for one replica: the {@link #greeting()} its peer client
 * runs on every connection it opens, and the two steps its peer port answers. A connection
 * whose handshake completed speaks for one member ({@link #member}); anything else speaks for
 * nobody, and its Paxos batches are refused.
 *
 * <p>Proving the key once per connection instead of sealing every batch keeps HMAC and copies
 * off the replication path. Its limit: a connection is trusted as a whole, so an attacker who can
 * inject into an established TCP stream is out of its reach; that needs TLS on the peer port.
 */
final class PeerAuthentication {
    static final long HANDSHAKE_TIMEOUT_MS = 2_000;

    private final long groupId;
    private final int self;
    private final int members;
    private final PeerKey key;
    /** Handshakes this replica's peer port refused. */
    final LongAdder refused = new LongAdder();

    PeerAuthentication(long groupId, int self, int members, PeerKey key) {
        this.groupId = groupId;
        this.self = self;
        this.members = members;
        this.key = key;
    }

    /** A connection's state at the accepting replica, kept as its {@link Connection#session()}. */
    private sealed interface Session {
        record Challenged(int from, byte[] helloNonce, byte[] challengeNonce) implements Session {
        }

        record Member(int node) implements Session {
        }
    }

    /** The member a connection proved to be, or -1 if it proved nothing. */
    static int member(Connection connection) {
        return connection.session() instanceof Session.Member m ? m.node() : -1;
    }

    /** Step one at the accepting replica: a member names itself; answer a challenge and a proof. */
    RpcOutcome<PeerHandshake.Challenge> hello(PeerHandshake.Hello hello, Connection connection) {
        connection.session(null);
        if (hello.groupId() != groupId) {
            refused.increment();
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "handshake for group " + hello.groupId()
                    + " sent to a node of group " + groupId);
        }
        if (!isOtherMember(hello.fromNode())) {
            refused.increment();
            return RpcOutcome.reject(ErrorCode.UNAUTHENTICATED, "node " + hello.fromNode()
                    + " is not another member of group " + groupId);
        }
        byte[] challengeNonce = PeerKey.nonce();
        connection.session(new Session.Challenged(hello.fromNode(), hello.nonce(), challengeNonce));
        return RpcOutcome.success(new PeerHandshake.Challenge(groupId, self, challengeNonce,
                key.prove(Side.ACCEPTING, groupId, self, hello.fromNode(), hello.nonce(), challengeNonce)));
    }

    /** Step two at the accepting replica: the connecting member's proof; the connection is then its. */
    RpcOutcome<PeerHandshake.Welcome> proof(PeerHandshake.Proof proof, Connection connection) {
        if (!(connection.session() instanceof Session.Challenged c)) {
            refused.increment();
            connection.session(null);
            return RpcOutcome.reject(ErrorCode.UNAUTHENTICATED, "a proof must answer this connection's challenge");
        }
        if (!key.verify(proof.proof(), Side.CONNECTING, groupId, c.from(), self, c.helloNonce(), c.challengeNonce())) {
            refused.increment();
            connection.session(null);
            return RpcOutcome.reject(ErrorCode.UNAUTHENTICATED, "the proof does not verify under group "
                    + groupId + "'s peer key");
        }
        connection.session(new Session.Member(c.from()));
        return RpcOutcome.success(new PeerHandshake.Welcome(c.from()));
    }

    /** The connecting side: proves this replica to the peer, and checks that the peer holds the key too. */
    Greeting greeting() {
        return connection -> {
            byte[] helloNonce = PeerKey.nonce();
            return connection.call(PeerMessages.PEER_HELLO, new PeerHandshake.Hello(groupId, self, helloNonce),
                            HANDSHAKE_TIMEOUT_MS)
                    .thenCompose(answered -> {
                        PeerHandshake.Challenge challenge = expect(answered, "hello");
                        if (challenge.groupId() != groupId || !isOtherMember(challenge.node())
                                || !key.verify(challenge.proof(), Side.ACCEPTING, groupId, challenge.node(), self,
                                        helloNonce, challenge.nonce())) {
                            throw new IllegalStateException("the peer did not prove group " + groupId + "'s peer key");
                        }
                        byte[] proof = key.prove(Side.CONNECTING, groupId, self, challenge.node(), helloNonce,
                                challenge.nonce());
                        return connection.call(PeerMessages.PEER_PROOF, new PeerHandshake.Proof(proof),
                                HANDSHAKE_TIMEOUT_MS);
                    })
                    .thenApply(answered -> {
                        expect(answered, "proof");
                        return null;
                    });
        };
    }

    private boolean isOtherMember(int node) {
        return node >= 0 && node < members && node != self;
    }

    private static <R> R expect(RpcOutcome<R> outcome, String step) {
        return switch (outcome) {
            case RpcOutcome.Success<R> ok -> ok.body();
            case RpcOutcome.Failure<R> failed -> throw new IllegalStateException("peer handshake refused at "
                    + step + ": " + failed.code() + " " + failed.detail());
        };
    }
}
