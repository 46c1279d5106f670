package org.sediment.ssd.node.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.wire.MessageCodec;
import org.sediment.common.wire.MessageType;
import org.sediment.common.wire.WireFields;
import org.sediment.ssd.paxos.PaxosMessage;

/**
 * Messages between the nodes of one SSD group: Paxos traffic in batches, the empty-disk probe
 * and the digest audit. Ids 1280..1299 of the ssd-tier range (the client API holds 1024..1099). Both methods
 * address a machine, not data, so they skip the route-version check: a peer must reach a
 * replica of its own group whatever routes the clients use.
 *
 * <p>A batch's size is bounded by the frame limit of the peer transport, which the node sets:
 * a sender splits its messages over several batches to fit, and a snapshot or verify reply
 * larger than one frame needs a transport configured for it.
 */
public final class PeerMessages {

    public static final MessageType<PaxosBatch> BATCH =
            new MessageType<>(1280, "PaxosBatch", PaxosBatch.class, new MessageCodec<>() {
                @Override
                public void write(PaxosBatch batch, ByteBuf out) {
                    out.writeLong(batch.groupId());
                    out.writeInt(batch.fromNode());
                    WireFields.writeCount(out, batch.messages().size(), PaxosBatch.MAX_MESSAGES, "Paxos message");
                    for (PaxosMessage message : batch.messages()) {
                        PaxosCodec.writeMessage(message, out);
                    }
                }

                @Override
                public PaxosBatch read(ByteBuf in) {
                    long groupId = in.readLong();
                    int fromNode = in.readInt();
                    int count = WireFields.readCount(in, PaxosBatch.MAX_MESSAGES, PaxosCodec.MIN_MESSAGE_BYTES,
                            "Paxos message");
                    List<PaxosMessage> messages = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        messages.add(PaxosCodec.readMessage(in));
                    }
                    return new PaxosBatch(groupId, fromNode, messages);
                }
            });

    public static final MessageType<PaxosBatchAck> BATCH_ACK =
            new MessageType<>(1281, "PaxosBatchAck", PaxosBatchAck.class, new MessageCodec<>() {
                @Override
                public void write(PaxosBatchAck ack, ByteBuf out) {
                    out.writeInt(ack.received());
                }

                @Override
                public PaxosBatchAck read(ByteBuf in) {
                    return new PaxosBatchAck(in.readInt());
                }
            });

    public static final MessageType<GroupProbe> PROBE =
            new MessageType<>(1282, "GroupProbe", GroupProbe.class, new MessageCodec<>() {
                @Override
                public void write(GroupProbe probe, ByteBuf out) {
                    out.writeLong(probe.groupId());
                    out.writeInt(probe.fromNode());
                }

                @Override
                public GroupProbe read(ByteBuf in) {
                    long groupId = in.readLong();
                    return new GroupProbe(groupId, in.readInt());
                }
            });

    public static final MessageType<GroupProbeReply> PROBE_REPLY =
            new MessageType<>(1283, "GroupProbeReply", GroupProbeReply.class, new MessageCodec<>() {
                @Override
                public void write(GroupProbeReply reply, ByteBuf out) {
                    out.writeLong(reply.groupId());
                    out.writeInt(reply.nodeIndex());
                    out.writeBoolean(reply.formatted());
                    out.writeBoolean(reply.ready());
                    out.writeBoolean(reply.voting());
                    out.writeInt(reply.timelines());
                    out.writeBoolean(reply.holdsAcceptedValues());
                }

                @Override
                public GroupProbeReply read(ByteBuf in) {
                    long groupId = in.readLong();
                    int nodeIndex = in.readInt();
                    boolean formatted = WireFields.readBoolean(in, "formatted");
                    boolean ready = WireFields.readBoolean(in, "ready");
                    boolean voting = WireFields.readBoolean(in, "voting");
                    int timelines = in.readInt();
                    boolean holdsAcceptedValues = WireFields.readBoolean(in, "holdsAcceptedValues");
                    return new GroupProbeReply(groupId, nodeIndex, formatted, ready, voting, timelines, holdsAcceptedValues);
                }
            });

    public static final MessageType<DigestRequest> DIGEST_REQUEST =
            new MessageType<>(1284, "DigestRequest", DigestRequest.class, new MessageCodec<>() {
                @Override
                public void write(DigestRequest request, ByteBuf out) {
                    out.writeLong(request.groupId());
                    out.writeInt(request.fromNode());
                    WireFields.writeCount(out, request.timelines().size(), DigestRequest.MAX_TIMELINES, "timeline");
                    for (long timeline : request.timelines()) {
                        out.writeLong(timeline);
                    }
                }

                @Override
                public DigestRequest read(ByteBuf in) {
                    long groupId = in.readLong();
                    int fromNode = in.readInt();
                    int count = WireFields.readCount(in, DigestRequest.MAX_TIMELINES, Long.BYTES, "timeline");
                    List<Long> timelines = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        timelines.add(in.readLong());
                    }
                    return new DigestRequest(groupId, fromNode, timelines);
                }
            });

    public static final MessageType<DigestReply> DIGEST_REPLY =
            new MessageType<>(1285, "DigestReply", DigestReply.class, new MessageCodec<>() {
                @Override
                public void write(DigestReply reply, ByteBuf out) {
                    out.writeLong(reply.groupId());
                    WireFields.writeCount(out, reply.digests().size(), DigestRequest.MAX_TIMELINES, "digest");
                    for (TimelineDigest d : reply.digests()) {
                        out.writeLong(d.timeline());
                        out.writeLong(d.version());
                        out.writeLong(d.digest());
                    }
                }

                @Override
                public DigestReply read(ByteBuf in) {
                    long groupId = in.readLong();
                    int count = WireFields.readCount(in, DigestRequest.MAX_TIMELINES, TimelineDigest.BYTES, "digest");
                    List<TimelineDigest> digests = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        digests.add(new TimelineDigest(in.readLong(), in.readLong(), in.readLong()));
                    }
                    return new DigestReply(groupId, digests);
                }
            });

    public static final MessageType<PeerHandshake.Hello> HELLO =
            new MessageType<>(1287, "Hello", PeerHandshake.Hello.class, new MessageCodec<>() {
                @Override
                public void write(PeerHandshake.Hello hello, ByteBuf out) {
                    out.writeLong(hello.groupId());
                    out.writeInt(hello.fromNode());
                    out.writeBytes(hello.nonce());
                }

                @Override
                public PeerHandshake.Hello read(ByteBuf in) {
                    long groupId = in.readLong();
                    int fromNode = in.readInt();
                    return new PeerHandshake.Hello(groupId, fromNode, fixed(in, PeerHandshake.NONCE_BYTES));
                }
            });

    public static final MessageType<PeerHandshake.Challenge> CHALLENGE =
            new MessageType<>(1288, "Challenge", PeerHandshake.Challenge.class, new MessageCodec<>() {
                @Override
                public void write(PeerHandshake.Challenge challenge, ByteBuf out) {
                    out.writeLong(challenge.groupId());
                    out.writeInt(challenge.node());
                    out.writeBytes(challenge.nonce());
                    out.writeBytes(challenge.proof());
                }

                @Override
                public PeerHandshake.Challenge read(ByteBuf in) {
                    long groupId = in.readLong();
                    int node = in.readInt();
                    byte[] nonce = fixed(in, PeerHandshake.NONCE_BYTES);
                    return new PeerHandshake.Challenge(groupId, node, nonce, fixed(in, PeerHandshake.PROOF_BYTES));
                }
            });

    public static final MessageType<PeerHandshake.Proof> PROOF =
            new MessageType<>(1289, "Proof", PeerHandshake.Proof.class, new MessageCodec<>() {
                @Override
                public void write(PeerHandshake.Proof proof, ByteBuf out) {
                    out.writeBytes(proof.proof());
                }

                @Override
                public PeerHandshake.Proof read(ByteBuf in) {
                    return new PeerHandshake.Proof(fixed(in, PeerHandshake.PROOF_BYTES));
                }
            });

    public static final MessageType<PeerHandshake.Welcome> WELCOME =
            new MessageType<>(1290, "Welcome", PeerHandshake.Welcome.class, new MessageCodec<>() {
                @Override
                public void write(PeerHandshake.Welcome welcome, ByteBuf out) {
                    out.writeInt(welcome.member());
                }

                @Override
                public PeerHandshake.Welcome read(ByteBuf in) {
                    return new PeerHandshake.Welcome(in.readInt());
                }
            });

    /** Reads exactly {@code length} bytes; a shorter frame fails like any truncated field. */
    private static byte[] fixed(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    /** Served only on a connection whose handshake proved it a member: the one it proved. */
    public static final RpcMethod<PaxosBatch, PaxosBatchAck> PAXOS_BATCH = new RpcMethod<>(BATCH, BATCH_ACK, false);
    public static final RpcMethod<PeerHandshake.Hello, PeerHandshake.Challenge> PEER_HELLO =
            new RpcMethod<>(HELLO, CHALLENGE, false);
    public static final RpcMethod<PeerHandshake.Proof, PeerHandshake.Welcome> PEER_PROOF =
            new RpcMethod<>(PROOF, WELCOME, false);
    public static final RpcMethod<GroupProbe, GroupProbeReply> GROUP_PROBE = new RpcMethod<>(PROBE, PROBE_REPLY, false);

    public static final RpcMethod<DigestRequest, DigestReply> TIMELINE_DIGESTS =
            new RpcMethod<>(DIGEST_REQUEST, DIGEST_REPLY, false);

    public static final List<MessageType<?>> ALL = List.of(BATCH, BATCH_ACK, PROBE, PROBE_REPLY, DIGEST_REQUEST,
            DIGEST_REPLY, HELLO, CHALLENGE, PROOF, WELCOME);

    private PeerMessages() {
    }
}
