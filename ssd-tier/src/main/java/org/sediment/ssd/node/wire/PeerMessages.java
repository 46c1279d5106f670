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

    public static final MessageType<SealedPaxosBatch> SEALED_BATCH =
            new MessageType<>(1286, "SealedPaxosBatch", SealedPaxosBatch.class, new MessageCodec<>() {
                @Override
                public void write(SealedPaxosBatch sealed, ByteBuf out) {
                    out.writeLong(sealed.groupId());
                    out.writeInt(sealed.fromNode());
                    WireFields.writeBytes(out, sealed.batch(), Integer.MAX_VALUE);
                    out.writeBytes(sealed.seal());
                }

                @Override
                public SealedPaxosBatch read(ByteBuf in) {
                    long groupId = in.readLong();
                    int fromNode = in.readInt();
                    byte[] batch = WireFields.readBytes(in, Integer.MAX_VALUE);
                    byte[] seal = new byte[SealedPaxosBatch.SEAL_BYTES];
                    in.readBytes(seal);
                    return new SealedPaxosBatch(groupId, fromNode, batch, seal);
                }
            });

    public static final RpcMethod<SealedPaxosBatch, PaxosBatchAck> PAXOS_BATCH =
            new RpcMethod<>(SEALED_BATCH, BATCH_ACK, false);
    public static final RpcMethod<GroupProbe, GroupProbeReply> GROUP_PROBE = new RpcMethod<>(PROBE, PROBE_REPLY, false);

    public static final RpcMethod<DigestRequest, DigestReply> TIMELINE_DIGESTS =
            new RpcMethod<>(DIGEST_REQUEST, DIGEST_REPLY, false);

    public static final List<MessageType<?>> ALL = List.of(SEALED_BATCH, BATCH_ACK, PROBE, PROBE_REPLY, DIGEST_REQUEST,
            DIGEST_REPLY);

    private PeerMessages() {
    }
}
