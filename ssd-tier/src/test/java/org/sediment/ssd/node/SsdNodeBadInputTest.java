package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.FrameHeader;
import org.sediment.router.ssd.SsdGroupClient;
import org.sediment.ssd.node.wire.PaxosBatch;
import org.sediment.ssd.node.wire.PaxosBatchAck;
import org.sediment.ssd.node.wire.PeerMessages;
import org.sediment.ssd.paxos.PaxosMessage;

/**
 * Hostile and broken requests against a running node, byte by byte over a real socket: each gets
 * its typed error, and the node keeps serving.
 */
class SsdNodeBadInputTest {
    private static final short MAGIC = 0x5344;

    @TempDir
    Path dir;
    private EmbeddedSsdGroup group;
    private RpcClient rpc;
    private InetSocketAddress node;

    @BeforeEach
    void start() throws Exception {
        group = EmbeddedSsdGroup.start(3, 1, dir, c -> c);
        rpc = new RpcClient(RpcClientConfig.defaults(), SsdNode.registry());
        node = group.addresses().getFirst();
    }

    @AfterEach
    void stop() {
        rpc.close();
        group.close();
    }

    @Test
    void aWriteWithoutAMajorityIsAnsweredTimeoutAtTheNodesDeadline() throws Exception {
        // Three nodes with a 300 ms request deadline; two stop, so no write can be chosen. The
        // core fails the waiting request at its deadline (no timer per request), and the node
        // answers TIMEOUT well before the client would give up.
        try (EmbeddedSsdGroup trio = EmbeddedSsdGroup.start(4, 3, dir.resolve("trio"), c -> c.withRequestTimeoutMs(300))) {
            trio.kill(1);
            trio.kill(2);
            WriteRequest write = new WriteRequest(5, WriteKind.APPEND, -1, 1_700_000_000_000L, 0, new byte[] {1});
            RpcOutcome<?> outcome = rpc.call(trio.addresses().getFirst(), SsdApi.WRITE, write, CallOptions.of(0, 30_000)).join();
            assertThat(outcome).isInstanceOfSatisfying(RpcOutcome.Failure.class, failure -> {
                assertThat(failure.code()).isEqualTo(ErrorCode.TIMEOUT);
                assertThat(failure.detail()).contains("no decision within 300 ms");
            });
            assertThat(trio.node(0).health().mode()).isEqualTo(SsdNode.Mode.VOTING);
        }
    }

    @Test
    void garbageIsAnsweredBadFrameAndTheConnectionClosed() throws IOException {
        try (Socket socket = new Socket(node.getAddress(), node.getPort())) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(readErrorCode(socket)).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertStillServes();
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItIsRead() throws IOException {
        try (Socket socket = new Socket(node.getAddress(), node.getPort())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(group.node(0).config().maxFrameBytes() + 1);
            out.writeShort(MAGIC);
            out.flush();
            assertThat(readErrorCode(socket)).isEqualTo(ErrorCode.TOO_LARGE);
        }
        assertStillServes();
    }

    @Test
    void unknownTypesVersionsAndBodiesGetTypedErrorsOnAConnectionThatStaysOpen() throws IOException {
        try (Socket socket = new Socket(node.getAddress(), node.getPort())) {
            send(socket, FrameHeader.PROTOCOL_VERSION, 0xEEEE, new byte[8]);
            assertThat(readErrorCode(socket)).isEqualTo(ErrorCode.UNKNOWN_TYPE);
            send(socket, 9, SsdApi.WRITE.request().id(), new byte[8]);
            assertThat(readErrorCode(socket)).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            // A write whose value claims 2 GB but carries nothing.
            ByteBuffer body = ByteBuffer.allocate(64).putLong(1).put((byte) 0).putLong(-1).putLong(5).putInt(0)
                    .putInt(Integer.MAX_VALUE);
            send(socket, FrameHeader.PROTOCOL_VERSION, SsdApi.WRITE.request().id(), body.array());
            assertThat(readErrorCode(socket)).isEqualTo(ErrorCode.BAD_FRAME);
        }
        assertStillServes();
    }

    @Test
    void aWriteOfAnItemFarInTheFutureIsRefusedAndReadsOfAbsentTimelinesLeaveNoState() {
        long dayAfterTomorrow = System.currentTimeMillis() + 2 * 86_400_000L;
        RpcOutcome<?> future = rpc.call(node, SsdApi.WRITE,
                new WriteRequest(5, WriteKind.APPEND, -1, dayAfterTomorrow, 0, new byte[] {1}), CallOptions.of(0, 5_000)).join();
        assertThat(future).isInstanceOfSatisfying(RpcOutcome.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(f.detail()).contains("outside the window this node accepts");
        });
        SsdGroupClient client = new SsdGroupClient(List.of(node), rpc, 0, 5_000, 1, 0);
        for (long timeline = 10_000; timeline < 12_000; timeline++) {
            assertThat(client.page(org.sediment.common.api.ssd.PageRequest.newest(timeline,
                    org.sediment.common.api.ssd.ReadMode.STRONG, 10)).items()).isEmpty();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> group.node(0).health().coreTimelines() == 0);
        assertStillServes();
    }

    @Test
    void peerMessagesOnTheClientPortAreUnknownThere() {
        PeerKey key = group.node(0).config().peerKey();
        RpcOutcome<PaxosBatchAck> onClientPort = rpc.call(node, PeerMessages.PAXOS_BATCH,
                key.seal(new PaxosBatch(3, 1, List.of())), CallOptions.of(0, 5_000)).join();
        assertThat(onClientPort).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE));
        assertStillServes();
    }

    @Test
    void aPaxosBatchSealedWithAnotherKeyOrFromANonMemberChangesNothing() throws Exception {
        try (EmbeddedSsdGroup trio = EmbeddedSsdGroup.start(4, 3, dir.resolve("trio"), c -> c)) {
            InetSocketAddress peerPort = trio.node(0).peerAddress();
            // The forgery a review sent: "decide every entry up to 2^40" of timeline 5, here also sealed.
            PaxosBatch finishForEver = new PaxosBatch(4, 1, List.of(new PaxosMessage.FinishRequest(5, 1, 0, 0, 1L << 40)));
            RpcOutcome<PaxosBatchAck> wrongKey = rpc.call(peerPort, PeerMessages.PAXOS_BATCH,
                    PeerKey.generate().seal(finishForEver), CallOptions.of(0, 5_000)).join();
            assertThat(wrongKey).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                    f -> assertThat(f.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
            RpcOutcome<PaxosBatchAck> nonMember = rpc.call(peerPort, PeerMessages.PAXOS_BATCH,
                    trio.node(0).config().peerKey().seal(new PaxosBatch(4, 7, List.of())), CallOptions.of(0, 5_000)).join();
            assertThat(nonMember).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                    f -> assertThat(f.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
            assertThat(trio.node(0).health().refusedPeerMessages()).isEqualTo(2);
            WriteRequest write = new WriteRequest(5, WriteKind.APPEND, -1, 1_700_000_000_000L, 0, new byte[] {1});
            RpcOutcome<?> written = rpc.call(trio.addresses().getFirst(), SsdApi.WRITE, write, CallOptions.of(0, 30_000)).join();
            assertThat(written).isInstanceOfSatisfying(RpcOutcome.Success.class,
                    ok -> assertThat(((WriteReply) ok.body()).version()).isEqualTo(1)); // no no-ops were decided
        }
    }

    @Test
    void valuesAboveTheLimitAreRefusedByTheClientAndAPaxosBatchForAnotherGroupByTheNode() {
        PeerKey key = group.node(0).config().peerKey();
        RpcOutcome<PaxosBatchAck> wrongGroup = rpc.call(group.node(0).peerAddress(), PeerMessages.PAXOS_BATCH,
                key.seal(new PaxosBatch(99, 0, List.of())), CallOptions.of(0, 5_000)).join();
        assertThat(wrongGroup).isInstanceOfSatisfying(RpcOutcome.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.BAD_FRAME));
        byte[] tooBig = new byte[SsdApi.MAX_VALUE_BYTES + 1];
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WriteRequest(1, WriteKind.APPEND, -1, 1, 0, tooBig))
                .isInstanceOf(IllegalArgumentException.class);
        assertStillServes();
    }

    @Test
    void aValueOverTheNodesLimitIsRefusedTooLargeAndOneAtTheLimitIsStored() {
        int limit = group.node(0).config().maxValueBytes();
        assertThat(limit).isEqualTo(64 << 10);
        RpcOutcome<?> over = rpc.call(node, SsdApi.WRITE, new WriteRequest(6, WriteKind.APPEND, -1, 1_000, 0,
                new byte[limit + 1]), CallOptions.of(0, 5_000)).join();
        assertThat(over).isInstanceOfSatisfying(RpcOutcome.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThat(f.detail()).contains("exceeds this node's limit of " + limit);
        });
        SsdGroupClient client = new SsdGroupClient(List.of(node), rpc, 0, 5_000, 1, 0);
        assertThat(client.write(new WriteRequest(6, WriteKind.APPEND, -1, 1_000, 0, new byte[limit])).status())
                .isEqualTo(WriteStatus.OK);
        assertStillServes();
    }

    private void assertStillServes() {
        SsdGroupClient client = new SsdGroupClient(List.of(node), rpc, 0, 5_000, 1, 0);
        assertThat(client.write(new WriteRequest(1, WriteKind.APPEND, -1, 1_000, 0, new byte[] {7})).status())
                .isEqualTo(WriteStatus.OK);
        assertThat(group.node(0).mode()).isEqualTo(SsdNode.Mode.VOTING);
    }

    private static void send(Socket socket, int version, int type, byte[] body) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(24 + body.length);
        out.writeShort(MAGIC);
        out.writeByte(version);
        out.writeByte(0); // REQUEST
        out.writeLong(77);
        out.writeShort(type);
        out.writeByte(0);
        out.writeByte(0);
        out.writeLong(0);
        out.write(body);
        out.flush();
    }

    /** Reads one reply frame and returns its error code; fails the test if it is not an error. */
    private static ErrorCode readErrorCode(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new AssertionError("connection closed without an error reply");
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        ByteBuffer b = ByteBuffer.wrap(frame);
        assertThat(b.getShort()).isEqualTo(MAGIC);
        b.get(); // version
        assertThat(b.get()).as("frame kind ERROR").isEqualTo((byte) 2);
        b.position(24); // body: code u16, route version u64, detail
        return ErrorCode.fromWireCode(b.getShort() & 0xFFFF);
    }
}
