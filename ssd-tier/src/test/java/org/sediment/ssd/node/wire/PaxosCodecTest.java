package org.sediment.ssd.node.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sediment.ssd.node.wire.CodecAssertions.assertSameMessage;
import static org.sediment.ssd.node.wire.CodecAssertions.assertSameSnapshot;
import static org.sediment.ssd.node.wire.CodecAssertions.decode;
import static org.sediment.ssd.node.wire.CodecAssertions.decodesOrIsRejected;
import static org.sediment.ssd.node.wire.CodecAssertions.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.wire.MessageCodec;
import org.sediment.common.wire.MessageType;
import org.sediment.common.wire.WireException;
import org.sediment.ssd.paxos.AcceptorRecord;
import org.sediment.ssd.paxos.Ballot;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.PaxosMessage;
import org.sediment.ssd.paxos.Proposal;
import org.sediment.ssd.paxos.TimelineSnapshot;
import org.sediment.ssd.paxos.VotingFence;

/**
 * The Paxos codec and the peer messages: every value and message kind survives a round trip to
 * the same bytes, and truncated, mutated or hostile input is rejected the way a frame codec may
 * reject it (never an assertion, never a hang, never an allocation of the declared size).
 */
@ExtendWith(CodecSeeds.class)
@Timeout(60)
class PaxosCodecTest {

    @Test
    void everyMessageKindSurvivesARoundTripToTheSameBytes() {
        RandomPaxosValues values = new RandomPaxosValues(new SplittableRandom(CodecSeeds.seed()), 300, 20);
        for (int kind = 0; kind < RandomPaxosValues.MESSAGE_KINDS; kind++) {
            for (int i = 0; i < 200; i++) {
                PaxosMessage message = values.message(kind);
                byte[] bytes = encode(PaxosCodec::writeMessage, message);
                PaxosMessage decoded = decode(PaxosCodec::readMessage, bytes);
                assertSameMessage(decoded, message);
                assertThat(encode(PaxosCodec::writeMessage, decoded)).isEqualTo(bytes);
            }
        }
    }

    @Test
    void valuesSurviveRoundTrips() {
        RandomPaxosValues values = new RandomPaxosValues(new SplittableRandom(CodecSeeds.seed()), 300, 20);
        for (int i = 0; i < 500; i++) {
            roundTrip(PaxosCodec::writeProposal, PaxosCodec::readProposal, values.proposal());
            roundTrip(PaxosCodec::writeAcceptorRecord, PaxosCodec::readAcceptorRecord, values.acceptorRecord());
            roundTrip(PaxosCodec::writeVotingFence, PaxosCodec::readVotingFence, values.fence());
            TimelineSnapshot snapshot = values.snapshot();
            assertSameSnapshot(decode(PaxosCodec::readSnapshot, encode(PaxosCodec::writeSnapshot, snapshot)), snapshot);
        }
        roundTrip(PaxosCodec::writeAcceptorRecord, PaxosCodec::readAcceptorRecord, AcceptorRecord.EMPTY);
        roundTrip(PaxosCodec::writeVotingFence, PaxosCodec::readVotingFence, VotingFence.NONE);
        roundTrip(PaxosCodec::writeProposal, PaxosCodec::readProposal, new Proposal(0, 0, 0, List.of()));
        Operation largest = new Operation.Put(1, Operation.UNCONDITIONAL, 5, -1, new byte[PaxosCodec.MAX_VALUE_BYTES]);
        roundTrip(PaxosCodec::writeOperation, PaxosCodec::readOperation, largest);
    }

    @Test
    void peerMessagesSurviveTheirCodecs() {
        SplittableRandom random = new SplittableRandom(CodecSeeds.seed());
        RandomPaxosValues values = new RandomPaxosValues(random, 100, 5);
        MessageCodec<PaxosBatch> batches = PeerMessages.BATCH.codec();
        for (int i = 0; i < 200; i++) {
            int from = random.nextInt(5);
            List<PaxosMessage> messages = new ArrayList<>();
            for (int n = random.nextInt(30); n > 0; n--) {
                messages.add(values.message(random.nextInt(RandomPaxosValues.MESSAGE_KINDS), from));
            }
            PaxosBatch batch = new PaxosBatch(random.nextLong(), from, messages);
            byte[] bytes = encode(batches::write, batch);
            PaxosBatch decoded = decode(batches::read, bytes);
            assertThat(decoded.groupId()).isEqualTo(batch.groupId());
            assertThat(decoded.fromNode()).isEqualTo(from);
            assertThat(decoded.messages()).hasSameSizeAs(messages);
            for (int m = 0; m < messages.size(); m++) {
                assertSameMessage(decoded.messages().get(m), messages.get(m));
            }
            assertThat(encode(batches::write, decoded)).isEqualTo(bytes);

            roundTrip(PeerMessages.BATCH_ACK.codec(), new PaxosBatchAck(random.nextInt(Integer.MAX_VALUE)));
            roundTrip(PeerMessages.PROBE.codec(), new GroupProbe(random.nextLong(), random.nextInt(Integer.MAX_VALUE)));
            roundTrip(PeerMessages.PROBE_REPLY.codec(), new GroupProbeReply(random.nextLong(),
                    random.nextInt(Integer.MAX_VALUE), random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                    random.nextInt(Integer.MAX_VALUE), random.nextBoolean()));
            List<Long> timelines = new java.util.ArrayList<>();
            List<TimelineDigest> digests = new java.util.ArrayList<>();
            for (int t = random.nextInt(20); t > 0; t--) {
                timelines.add(random.nextLong());
                digests.add(new TimelineDigest(random.nextLong(), random.nextLong(), random.nextLong()));
            }
            roundTrip(PeerMessages.DIGEST_REQUEST.codec(), new DigestRequest(random.nextLong(),
                    random.nextInt(Integer.MAX_VALUE), timelines));
            roundTrip(PeerMessages.DIGEST_REPLY.codec(), new DigestReply(random.nextLong(), digests));
        }
    }

    @Test
    void peerTypesAndMethodsAreDeclaredOnceInTheirRange() {
        assertThat(PeerMessages.ALL).extracting(MessageType::id).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isBetween(1280, 1299));
        assertThat(PeerMessages.ALL).allSatisfy(t -> assertThat(t.name()).isEqualTo(t.javaType().getSimpleName()));
        for (RpcMethod<?, ?> method : List.of(PeerMessages.PAXOS_BATCH, PeerMessages.GROUP_PROBE, PeerMessages.TIMELINE_DIGESTS)) {
            assertThat(method.routeChecked()).isFalse();
            assertThat(PeerMessages.ALL).contains(method.request(), method.response());
        }
    }

    @Test
    void everyTruncationOfEveryMessageKindIsRejected() {
        RandomPaxosValues values = new RandomPaxosValues(new SplittableRandom(CodecSeeds.seed()), 10, 3);
        for (int kind = 0; kind < RandomPaxosValues.MESSAGE_KINDS; kind++) {
            for (int i = 0; i < 10; i++) {
                byte[] bytes = encode(PaxosCodec::writeMessage, values.message(kind));
                for (int cut = 0; cut < bytes.length; cut++) {
                    assertThat(decodesOrIsRejected(PaxosCodec::readMessage, Arrays.copyOf(bytes, cut)))
                            .as("kind %d cut at %d of %d", kind, cut, bytes.length).isFalse();
                }
            }
        }
        MessageCodec<PaxosBatch> batches = PeerMessages.BATCH.codec();
        List<PaxosMessage> messages = List.of(values.message(1, 2), values.message(7, 2), values.message(12, 2));
        byte[] batch = encode(batches::write, new PaxosBatch(9, 2, messages));
        for (int cut = 0; cut < batch.length; cut++) {
            assertThat(decodesOrIsRejected(batches::read, Arrays.copyOf(batch, cut))).isFalse();
        }
    }

    @Test
    void mutatedMessagesDecodeOrAreRejected() {
        SplittableRandom random = new SplittableRandom(CodecSeeds.seed());
        RandomPaxosValues values = new RandomPaxosValues(random, 30, 4);
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = encode(PaxosCodec::writeMessage, values.message());
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int at = random.nextInt(bytes.length);
                bytes[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (bytes[at] ^ 0x80);
            }
            if (decodesOrIsRejected(PaxosCodec::readMessage, bytes)) {
                decoded++;
            }
        }
        assertThat(decoded).as("flipping a field byte keeps most messages decodable").isPositive();
    }

    @Test
    void hostileCountsAndLengthsAreRejectedBeforeAllocating() {
        record Hostile(String what, Function<ByteBuf, ?> reader, ByteBuf body, String reason) {
        }
        List<Hostile> hostile = List.of(
                new Hostile("snapshot items", PaxosCodec::readSnapshot,
                        buf().writeLong(1).writeLong(1).writeLong(1).writeInt(PaxosCodec.MAX_SNAPSHOT_ITEMS),
                        "needs at least"),
                new Hostile("snapshot items above the limit", PaxosCodec::readSnapshot,
                        buf().writeLong(1).writeLong(1).writeLong(1).writeInt(PaxosCodec.MAX_SNAPSHOT_ITEMS + 1), "outside"),
                new Hostile("a snapshot written after its version", PaxosCodec::readSnapshot,
                        buf().writeLong(1).writeLong(1).writeLong(2).writeInt(0), "outside"),
                new Hostile("cold links", PaxosCodec::readColdLinks, buf().writeInt(PaxosCodec.MAX_COLD_LINKS),
                        "needs at least"),
                new Hostile("a cold link above 1 KiB", PaxosCodec::readColdLinks,
                        buf().writeInt(1).writeInt(PaxosCodec.MAX_COLD_LINK_BYTES + 1).writeZero(2_000), "outside"),
                new Hostile("ops above the limit", PaxosCodec::readProposal,
                        buf().writeInt(1).writeLong(1).writeLong(1).writeInt(PaxosCodec.MAX_OPS_PER_PROPOSAL + 1),
                        "outside"),
                new Hostile("ops", PaxosCodec::readProposal,
                        buf().writeInt(1).writeLong(1).writeLong(1).writeInt(PaxosCodec.MAX_OPS_PER_PROPOSAL),
                        "needs at least"),
                new Hostile("a value above 1 MiB", PaxosCodec::readOperation,
                        buf().writeByte(2).writeLong(1).writeLong(-1).writeLong(5).writeInt(0)
                                .writeInt(PaxosCodec.MAX_VALUE_BYTES + 1), "outside"),
                new Hostile("a negative value length", PaxosCodec::readOperation,
                        buf().writeByte(1).writeLong(1).writeLong(-1).writeLong(5).writeInt(-3), "outside"),
                new Hostile("a value longer than the body", PaxosCodec::readOperation,
                        buf().writeByte(1).writeLong(1).writeLong(-1).writeLong(5).writeInt(PaxosCodec.MAX_VALUE_BYTES),
                        "left"),
                new Hostile("catch-up entries", PaxosCodec::readMessage,
                        messageHeader(7).writeInt(PaxosCodec.MAX_CATCH_UP_ENTRIES), "needs at least"),
                new Hostile("timeline statuses", PaxosCodec::readMessage,
                        messageHeader(13).writeLong(1).writeByte(1).writeInt(PaxosCodec.MAX_TIMELINE_STATUSES),
                        "needs at least"),
                new Hostile("fenced timelines", PaxosCodec::readVotingFence,
                        buf().writeLong(1).writeLong(1).writeInt(Integer.MAX_VALUE), "outside"),
                new Hostile("batch messages", PeerMessages.BATCH.codec()::read,
                        buf().writeLong(1).writeInt(1).writeInt(PaxosBatch.MAX_MESSAGES), "needs at least"),
                new Hostile("digest timelines", PeerMessages.DIGEST_REQUEST.codec()::read,
                        buf().writeLong(1).writeInt(1).writeInt(DigestRequest.MAX_TIMELINES), "needs at least"),
                new Hostile("digests", PeerMessages.DIGEST_REPLY.codec()::read,
                        buf().writeLong(1).writeInt(DigestRequest.MAX_TIMELINES + 1), "outside"));
        for (Hostile h : hostile) {
            byte[] body = new byte[h.body().readableBytes()];
            h.body().readBytes(body).release();
            rejection(h.reader(), body); // warm up: class loading is not the decoder's cost
            long before = allocatedBytes();
            RuntimeException e = rejection(h.reader(), body);
            long allocated = allocatedBytes() - before;
            assertThat(e).as(h.what()).isInstanceOf(WireException.class).hasMessageContaining(h.reason());
            assertThat(allocated).as("bytes allocated rejecting %s", h.what()).isLessThan(64 << 10);
        }
    }

    private static RuntimeException rejection(Function<ByteBuf, ?> reader, byte[] body) {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        try {
            reader.apply(in);
            throw new AssertionError("decoded a hostile body");
        } catch (RuntimeException e) {
            return e;
        } finally {
            in.release();
        }
    }

    @Test
    void contentTheCoreOnlyAssertsIsRejectedAsBadInput() {
        Operation conditional = new Operation.Delete(1, 3, 5, 0);
        Operation other = new Operation.Delete(2, Operation.UNCONDITIONAL, 5, 1);
        ByteBuf twoOps = buf().writeInt(1).writeLong(1).writeLong(1).writeInt(2);
        PaxosCodec.writeOperation(conditional, twoOps);
        PaxosCodec.writeOperation(other, twoOps);
        assertRejected(PaxosCodec::readProposal, twoOps, "a conditional operation must be proposed alone, got 2 ops");

        ByteBuf aboveThePromise = buf().writeLong(Ballot.of(1, 1)).writeLong(Ballot.of(2, 1)).writeByte(1);
        PaxosCodec.writeProposal(new Proposal(1, 1, 1, List.of()), aboveThePromise);
        assertRejected(PaxosCodec::readAcceptorRecord, aboveThePromise, "above its promise");
        assertRejected(PaxosCodec::readAcceptorRecord, buf().writeLong(Ballot.of(2, 1)).writeLong(Ballot.of(1, 1))
                .writeByte(0), "without a value");
        assertRejected(PaxosCodec::readAcceptorRecord, buf().writeLong(0).writeLong(0).writeByte(2),
                "proposal presence flag must be 0 or 1, got 2");

        assertRejected(PaxosCodec::readOperation, buf().writeByte(9).writeLong(1).writeLong(-1),
                "unknown operation tag 9");
        assertRejected(PaxosCodec::readOperation, buf().writeByte(3).writeLong(1).writeLong(-2),
                "operation ifVersion -2 below -1");
        assertRejected(PaxosCodec::readOperation, buf().writeByte(3).writeLong(1).writeLong(-1).writeLong(-5),
                "ts -5 out of range");
        assertRejected(PaxosCodec::readMessage, messageHeader(0), "unknown Paxos message tag 0");
        assertRejected(PaxosCodec::readMessage, messageHeader(2).writeLong(1).writeLong(1).writeByte(4),
                "unknown prepare outcome 4");
        assertRejected(PaxosCodec::readMessage, messageHeader(4).writeLong(1).writeLong(1).writeByte(200),
                "unknown accept outcome 200");
        assertRejected(PaxosCodec::readVotingFence, buf().writeLong(1).writeLong(1).writeInt(2)
                .writeLong(7).writeLong(1).writeLong(7).writeLong(2), "strictly ascending");
        assertRejected(PaxosCodec::readSnapshot, buf().writeLong(1).writeLong(-1), "version -1 is negative");

        assertThatIllegalArgumentException().isThrownBy(() -> new PaxosBatch(1, 2,
                        List.of(new PaxosMessage.ReadProbe(1, 3, 2, 0, 1))))
                .withMessageStartingWith("a batch from node 2 carries a message from node 3");
    }

    private static void assertRejected(Function<ByteBuf, ?> reader, ByteBuf body, String reason) {
        try {
            assertThatThrownBy(() -> reader.apply(body)).isInstanceOf(WireException.class).hasMessageContaining(reason);
        } finally {
            body.release();
        }
    }

    private static <T> void roundTrip(BiConsumer<T, ByteBuf> writer, Function<ByteBuf, T> reader, T value) {
        byte[] bytes = encode(writer, value);
        T decoded = decode(reader, bytes);
        assertThat(decoded).isEqualTo(value);
        assertThat(encode(writer, decoded)).isEqualTo(bytes);
    }

    private static <T> void roundTrip(MessageCodec<T> codec, T value) {
        roundTrip(codec::write, codec::read, value);
    }

    private static ByteBuf buf() {
        return Unpooled.buffer();
    }

    private static ByteBuf messageHeader(int tag) {
        return buf().writeByte(tag).writeLong(42).writeInt(1).writeInt(2).writeLong(0);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
