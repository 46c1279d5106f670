package org.sediment.common.api.ssd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.api.ssd.RandomSsdMessages.Typed;
import org.sediment.common.block.ColdLink;
import org.sediment.common.key.ItemKey;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.testing.ExceptionRecorder;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.RawFrames;
import org.sediment.common.testing.Seeds;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameEncoder;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.common.wire.MessageType;
import org.sediment.common.wire.WireException;

/**
 * The SSD API on the wire: every message survives the real frame encoder and decoder, the
 * largest ones fit a default frame, and hostile bodies are BAD_FRAME errors that allocate
 * nothing of the size they declare.
 */
@ExtendWith({NoLeaks.class, Seeds.class})
class SsdApiWireTest {
    private static final MessageRegistry REGISTRY = MessageRegistry.builder().registerAll(SsdApi.ALL).build();
    private static final FrameLimits LIMITS = FrameLimits.defaults();

    @Test
    void typesAndMethodsAreDeclaredOnceInTheSsdRange() {
        Set<Integer> ids = new HashSet<>();
        for (MessageType<?> type : SsdApi.ALL) {
            assertThat(type.id()).isBetween(1024, 1099);
            assertThat(ids.add(type.id())).as("unique id %s", type).isTrue();
            assertThat(type.name()).isEqualTo(type.javaType().getSimpleName());
        }
        for (RpcMethod<?, ?> method : SsdApi.METHODS) {
            assertThat(SsdApi.ALL).contains(method.request(), method.response());
            // Calls that address a machine, not data, answer whatever the caller's routes.
            assertThat(method.routeChecked()).as("%s", method)
                    .isEqualTo(method != SsdApi.UPDATE_COLD_ROUTES && method != SsdApi.STATUS);
        }
        assertThat(REGISTRY.types()).containsAll(SsdApi.ALL);
    }

    @Test
    void randomMessagesOfEveryTypeSurviveTheFrameCodecs() {
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        RandomSsdMessages messages = new RandomSsdMessages(random, 2_000);
        List<Frame> sent = new ArrayList<>();
        for (MessageType<?> type : SsdApi.ALL) {
            for (int i = 0; i < 10; i++) {
                sent.add(frame(messages.of(type), random.nextLong()));
            }
        }
        for (int i = 0; i < 300; i++) {
            sent.add(frame(messages.any(), random.nextLong()));
        }
        EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder(LIMITS));
        for (Frame frame : sent) {
            assertThat(encoder.writeOutbound(frame)).isTrue();
        }
        ByteBuf stream = Unpooled.buffer();
        for (ByteBuf chunk; (chunk = encoder.readOutbound()) != null; ) {
            stream.writeBytes(chunk);
            chunk.release();
        }
        ExceptionRecorder errors = new ExceptionRecorder();
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(REGISTRY, LIMITS), errors);
        while (stream.isReadable()) {
            int cut = Math.min(stream.readableBytes(), 1 + random.nextInt(20_000));
            decoder.writeInbound(stream.readRetainedSlice(cut));
        }
        stream.release();
        List<Frame> received = new ArrayList<>();
        for (Frame frame; (frame = decoder.readInbound()) != null; ) {
            received.add(frame);
        }
        assertThat(errors.caught).isEmpty();
        assertThat(received).isEqualTo(sent);
        assertThat(decoder.finish()).isFalse();
        assertThat(encoder.finish()).isFalse();
    }

    @Test
    void theLargestWritesAndGetsFitADefaultFrame() {
        byte[] largest = new byte[SsdApi.MAX_VALUE_BYTES];
        Arrays.fill(largest, (byte) 7);
        roundTripOneFrame(SsdApi.WRITE_REQUEST, new WriteRequest(-1L, WriteKind.PUT, Long.MAX_VALUE,
                ItemKey.MAX_TS, -1, largest));
        roundTripOneFrame(SsdApi.GET_REPLY, GetReply.found(Long.MAX_VALUE, largest));
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteRequest(1, WriteKind.APPEND,
                SsdApi.UNCONDITIONAL, 0, 0, new byte[SsdApi.MAX_VALUE_BYTES + 1]))
                .withMessage("value of " + (SsdApi.MAX_VALUE_BYTES + 1) + " bytes exceeds the limit of "
                        + SsdApi.MAX_VALUE_BYTES);
    }

    @Test
    void repliesFillUpToTheFrameBodyAndNotOneBytePast() {
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        RandomSsdMessages messages = new RandomSsdMessages(random, 0);
        List<ColdLink> links = new ArrayList<>();
        for (int i = 0; i < SsdApi.MAX_PAGE_COLD_LINKS; i++) {
            links.add(messages.coldLink());
        }
        List<ColdRoute> routes = links.stream().map(ColdLink::hddGroup).distinct()
                .map(messages::coldRoute).toList();
        // Items of 100 kB, newest first, then one that takes exactly the bytes left.
        List<TimelineItem> items = new ArrayList<>();
        long left = SsdApi.MAX_BODY_BYTES - PageReply.encodedBytes(List.of(), links, routes);
        for (long ts = 1_000; left > 0; ts--) {
            int valueBytes = (int) Math.min(100_000, left - TimelineItem.ENCODED_OVERHEAD_BYTES);
            items.add(new TimelineItem(ts, 0, new byte[valueBytes]));
            left -= items.getLast().encodedBytes();
        }
        assertThat(left).isZero();
        assertThat(roundTripOneFrame(SsdApi.PAGE_REPLY, new PageReply(3, items, links, routes)))
                .isEqualTo(LIMITS.maxFrameBytes());
        List<TimelineItem> oneByteMore = new ArrayList<>(items);
        TimelineItem last = oneByteMore.removeLast();
        oneByteMore.add(new TimelineItem(last.ts(), 0, new byte[last.value().length + 1]));
        assertThatIllegalArgumentException().isThrownBy(() -> new PageReply(3, oneByteMore, links, routes))
                .withMessage("a page reply of " + (SsdApi.MAX_BODY_BYTES + 1)
                        + " bytes does not fit one frame body of " + SsdApi.MAX_BODY_BYTES);

        // A version check reply with as many full pages as fit: the server shortens the last one.
        List<VersionVerdict> verdicts = new ArrayList<>();
        long bytes = VersionCheckReply.EMPTY_BYTES;
        while (true) {
            VersionVerdict next = VersionVerdict.stale(random.nextLong(), 9, messagesWithValues(random).items(1_000), false);
            if (bytes + next.encodedBytes() > SsdApi.MAX_BODY_BYTES) {
                break;
            }
            verdicts.add(next);
            bytes += next.encodedBytes();
        }
        assertThat(verdicts).isNotEmpty();
        roundTripOneFrame(SsdApi.VERSION_CHECK_REPLY, new VersionCheckReply(verdicts));

        // The most routes an update may carry, with three typical addresses each, fit one frame.
        List<ColdRoute> many = new ArrayList<>();
        for (int group = 0; group < SsdApi.MAX_ROUTES_PER_UPDATE; group++) {
            many.add(new ColdRoute(group, List.of("hdd-" + group + "-a.campus1.example:7100",
                    "hdd-" + group + "-b.campus2.example:7100", "hdd-" + group + "-c.campus3.example:7100")));
        }
        roundTripOneFrame(SsdApi.COLD_ROUTE_UPDATE, new ColdRouteUpdate(many));
    }

    @Test
    void encodedSizesAgreeWithTheCodec() {
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        RandomSsdMessages messages = new RandomSsdMessages(random, 300);
        for (int i = 0; i < 300; i++) {
            PageReply page = messages.pageReply();
            assertThat(body(SsdApi.PAGE_REPLY, page).length)
                    .isEqualTo(PageReply.encodedBytes(page.items(), page.coldLinks(), page.coldRoutes()));
            VersionCheckReply check = messages.versionCheckReply();
            long expected = VersionCheckReply.EMPTY_BYTES
                    + check.verdicts().stream().mapToLong(VersionVerdict::encodedBytes).sum();
            assertThat((long) body(SsdApi.VERSION_CHECK_REPLY, check).length).isEqualTo(expected);
            GetReply get = messages.getReply();
            assertThat((long) body(SsdApi.GET_REPLY, get).length).isEqualTo(get.encodedBytes());
            ColdRouteUpdate update = messages.coldRouteUpdate();
            assertThat(body(SsdApi.COLD_ROUTE_UPDATE, update).length).isEqualTo(ColdRouteUpdate.EMPTY_BYTES
                    + update.routes().stream().mapToInt(ColdRoute::encodedBytes).sum());
        }
    }

    @Test
    void everyTruncationAndEveryTrailingByteIsABadFrame() {
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        RandomSsdMessages messages = new RandomSsdMessages(random, 12);
        for (MessageType<?> type : SsdApi.ALL) {
            for (int i = 0; i < 5; i++) {
                byte[] body = smallBody(messages, type);
                for (int cut = 0; cut < body.length; cut++) {
                    assertRejectedByTheCodec(type, Arrays.copyOf(body, cut));
                }
                assertRejectedByTheCodec(type, Arrays.copyOf(body, body.length + 1));
            }
        }
        // The same through the real decoder, for a sample of cuts: BAD_FRAME, and the stream goes on.
        ExceptionRecorder errors = new ExceptionRecorder();
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(REGISTRY, LIMITS), errors);
        int bad = 0;
        for (MessageType<?> type : SsdApi.ALL) {
            byte[] body = smallBody(messages, type);
            for (int cut = 0; cut < body.length; cut += 1 + random.nextInt(8)) {
                decoder.writeInbound(Unpooled.wrappedBuffer(RawFrames.request(++bad, type.id(), Arrays.copyOf(body, cut))));
            }
        }
        assertThat(errors.caught).hasSize(bad).allSatisfy(SsdApiWireTest::assertBadFrame);
        assertThat(decoder.<Object>readInbound()).isNull();
        Typed good = messages.any();
        decoder.writeInbound(Unpooled.wrappedBuffer(RawFrames.request(1, good.type().id(), body(good))));
        assertThat(((Frame) decoder.readInbound()).message()).isEqualTo(good.message());
        assertThat(decoder.finish()).isFalse();
    }

    @Test
    void mutatedBodiesDecodeOrFailOnlyAsBadFrames() {
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        RandomSsdMessages messages = new RandomSsdMessages(random, 40);
        int decoded = 0;
        for (int i = 0; i < 30_000; i++) {
            Typed typed = messages.any();
            byte[] body = body(typed);
            if (body.length == 0) {
                continue;
            }
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int at = random.nextInt(body.length);
                body[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (body[at] ^ 0x80);
            }
            if (decodeOrReject(typed.type(), body)) {
                decoded++;
            }
        }
        // Flipping value bytes keeps a body valid, so a good share must still decode.
        assertThat(decoded).isPositive();
    }

    @Test
    void hostileCountsAndLengthsAreRejectedBeforeAllocating() {
        int tooManyBytes = 64 << 10;
        // Each body declares far more than it holds; none may cost what it declares.
        List<Hostile> hostile = List.of(
                new Hostile(SsdApi.WRITE_REQUEST, writeRequestPrefix().writeInt(Integer.MAX_VALUE), "outside"),
                new Hostile(SsdApi.WRITE_REQUEST, writeRequestPrefix().writeInt(-1), "outside"),
                new Hostile(SsdApi.WRITE_REQUEST, writeRequestPrefix().writeInt(SsdApi.MAX_VALUE_BYTES), "left"),
                new Hostile(SsdApi.GET_REPLY, buf().writeLong(1).writeByte(1).writeInt(SsdApi.MAX_VALUE_BYTES), "left"),
                new Hostile(SsdApi.PAGE_REPLY, buf().writeLong(1).writeInt(Integer.MAX_VALUE), "outside"),
                new Hostile(SsdApi.PAGE_REPLY, buf().writeLong(1).writeInt(-7), "outside"),
                new Hostile(SsdApi.PAGE_REPLY, buf().writeLong(1).writeInt(SsdApi.MAX_PAGE_ITEMS), "needs at least"),
                new Hostile(SsdApi.PAGE_REPLY, buf().writeLong(1).writeInt(0).writeInt(SsdApi.MAX_PAGE_COLD_LINKS),
                        "needs at least"),
                new Hostile(SsdApi.PAGE_REPLY, buf().writeLong(1).writeInt(0).writeInt(0).writeInt(999), "needs at least"),
                new Hostile(SsdApi.VERSION_CHECK_REQUEST, buf().writeInt(5).writeInt(SsdApi.MAX_VERSION_CLAIMS + 1),
                        "outside"),
                new Hostile(SsdApi.VERSION_CHECK_REQUEST, buf().writeInt(5).writeInt(SsdApi.MAX_VERSION_CLAIMS),
                        "needs at least"),
                new Hostile(SsdApi.VERSION_CHECK_REPLY, buf().writeInt(1).writeLong(1).writeLong(1).writeByte(0)
                        .writeInt(SsdApi.MAX_PAGE_ITEMS), "needs at least"),
                new Hostile(SsdApi.COLD_ROUTE_UPDATE, buf().writeInt(SsdApi.MAX_ROUTES_PER_UPDATE), "needs at least"),
                new Hostile(SsdApi.COLD_ROUTE_UPDATE, buf().writeInt(1).writeInt(3).writeInt(9), "outside"),
                new Hostile(SsdApi.COLD_ROUTE_UPDATE, buf().writeInt(1).writeInt(3).writeInt(1).writeShort(0xFFFF),
                        "outside"),
                new Hostile(SsdApi.WRITE_REPLY, buf().writeByte(0).writeLong(1).writeInt(0).writeLong(-1)
                        .writeShort(SsdApi.MAX_DETAIL_BYTES), "left"));
        for (Hostile h : hostile) {
            byte[] body = new byte[h.body.readableBytes()];
            h.body.readBytes(body);
            h.body.release();
            rejectionAllocation(h.type, body); // warm up: class loading is not the decoder's cost
            long allocated = rejectionAllocation(h.type, body);
            assertThat(allocated).as("bytes allocated rejecting %s", h).isLessThan(tooManyBytes);
            WireException e = catchWireException(h.type, body);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(e.detail()).as("%s", h).contains(h.expectedReason);
        }
        // The measure bites: a body rejected only after its (present) value was read costs the value.
        ByteBuf late = buf().writeLong(1).writeByte(0).writeInt(4 * tooManyBytes).writeZero(4 * tooManyBytes);
        byte[] lateBody = new byte[late.readableBytes()];
        late.readBytes(lateBody).release();
        rejectionAllocation(SsdApi.GET_REPLY, lateBody);
        assertThat(rejectionAllocation(SsdApi.GET_REPLY, lateBody)).isGreaterThan(4L * tooManyBytes);
    }

    @Test
    void recordsRejectContentsThatBreakTheirContract() {
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteRequest(1, WriteKind.APPEND, -1, 5, 3,
                new byte[1])).withMessage("an append's seq is assigned by the SSD tier: send 0, got 3");
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteRequest(1, WriteKind.DELETE, -1, 5, 3,
                new byte[1])).withMessage("a delete carries no value, got 1 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteRequest(1, WriteKind.PUT, -2, 5, 3,
                new byte[1])).withMessageStartingWith("ifVersion must be -1 (unconditional)");
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteRequest(1, WriteKind.PUT, -1, -5, 3,
                new byte[1])).withMessageStartingWith("ts -5 out of range");
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteReply(WriteStatus.OK, 0, 0, -1, ""))
                .withMessage("a reply with status OK cannot carry version 0, seq 0, actualVersion -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteReply(WriteStatus.CONTENDED, 4, 0, -1, ""));
        assertThat(WriteReply.contended("水".repeat(1_000)).detail().getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(SsdApi.MAX_DETAIL_BYTES);
        ColdLink link = new ColdLink(1, 2, 3, 4, 5, 6, 7, 100, 200);
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdLinkCommit(1, -1, 200, link))
                .withMessageStartingWith("coldBeforeTs must be in (200, ");
        assertThatIllegalArgumentException().isThrownBy(() -> PageRequest.newest(1, ReadMode.STRONG, 0))
                .withMessage("limit must be in [1, 1000], got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new PageRequest(1, ReadMode.LOCAL, true, 5, 0, 10))
                .withMessage("a page from the newest item has no cursor, got 5/0");
        TimelineItem older = new TimelineItem(5, 1, new byte[0]);
        TimelineItem newer = new TimelineItem(5, -1, new byte[0]); // seq compares unsigned
        assertThat(PageReply.ofItems(1, List.of(newer, older)).items()).containsExactly(newer, older);
        assertThatIllegalArgumentException().isThrownBy(() -> PageReply.ofItems(1, List.of(older, newer)))
                .withMessageStartingWith("items must run newest first");
        assertThatIllegalArgumentException().isThrownBy(() -> PageReply.ofItems(1, List.of(older, older)));
        assertThatIllegalArgumentException().isThrownBy(() -> new PageReply(1, List.of(), List.of(link),
                        List.of(new ColdRoute(9, List.of("h:1")))))
                .withMessage("cold group 9 is routed twice or named by no link of the page");
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdRoute(1, List.of()))
                .withMessage("cold group 1 has no replicas");
        for (String address : List.of("host", ":80", "host:", "host:0", "host:65536", "host:8x", "host:123456")) {
            assertThatIllegalArgumentException().as(address).isThrownBy(() -> new ColdRoute(1, List.of(address)));
        }
        assertThat(new ColdRoute(1, List.of("[::1]:7100", "h:65535")).replicas()).hasSize(2);
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdRoute(1, List.of("h:1", "h:1")));
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdRouteUpdate(List.of(
                new ColdRoute(1, List.of("a:1")), new ColdRoute(1, List.of("b:1")))))
                .withMessage("cold group 1 is routed twice");
        assertThatIllegalArgumentException().isThrownBy(() -> new VersionCheckRequest(List.of(), 10))
                .withMessage("a version check needs at least one claim");
        assertThatIllegalArgumentException().isThrownBy(() -> new VersionVerdict(1, 2, true,
                List.of(older), false)).withMessage("a valid claim needs no fresh page, got 1 items");
        assertThatIllegalArgumentException().isThrownBy(() -> new VersionVerdict(1, 2, true, List.of(), true))
                .withMessage("only a fresh page can be complete");
        assertThatIllegalArgumentException().isThrownBy(() -> GetReply.found(-1, new byte[0]))
                .withMessage("version must be ≥ 0, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new GetReply(1, false, new byte[1], null, null));
        org.sediment.common.block.ColdLink sunk = new org.sediment.common.block.ColdLink(2, 0, 1, 0, 10, 0, 1, 5, 9);
        assertThatIllegalArgumentException().isThrownBy(() -> GetReply.sunk(1, sunk, new ColdRoute(3, List.of("h:1"))))
                .withMessage("a cold route must be its cold link's HDD group");
        assertThatIllegalArgumentException().isThrownBy(() -> new GetReply(1, true, new byte[1], sunk, null))
                .withMessage("a reply with the item names no cold link");
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdRouteAck(-1));
    }

    private record Hostile(MessageType<?> type, ByteBuf body, String expectedReason) {
        @Override
        public String toString() {
            return type + " body " + body.readableBytes() + "B (" + expectedReason + ")";
        }
    }

    private static ByteBuf buf() {
        return Unpooled.buffer();
    }

    private static ByteBuf writeRequestPrefix() {
        return buf().writeLong(1).writeByte(WriteKind.PUT.ordinal()).writeLong(-1).writeLong(5).writeInt(0);
    }

    private static RandomSsdMessages messagesWithValues(SplittableRandom random) {
        return new RandomSsdMessages(random, 1_000);
    }

    private static Frame frame(Typed typed, long requestId) {
        boolean request = SsdApi.METHODS.stream().anyMatch(m -> m.request() == typed.type());
        FrameHeader header = new FrameHeader(request ? FrameKind.REQUEST : FrameKind.RESPONSE, requestId,
                typed.type().id(), 0, 0, 0);
        return new Frame(header, typed.type(), typed.message());
    }

    /** Sends {@code message} through a real encoder and decoder; returns the frame's size. */
    private static int roundTripOneFrame(MessageType<?> type, Object message) {
        EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder(LIMITS));
        Frame frame = frame(new Typed(type, message), 1);
        assertThat(encoder.writeOutbound(frame)).isTrue();
        ByteBuf bytes = encoder.readOutbound();
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(REGISTRY, LIMITS));
        int frameBytes = bytes.readableBytes();
        decoder.writeInbound(bytes);
        assertThat((Frame) decoder.readInbound()).isEqualTo(frame);
        assertThat(decoder.finish()).isFalse();
        assertThat(encoder.finish()).isFalse();
        return frameBytes;
    }

    /** Every cut of a body costs a decode of up to its length: keep the bodies short. */
    private static byte[] smallBody(RandomSsdMessages messages, MessageType<?> type) {
        while (true) {
            byte[] body = body(messages.of(type));
            if (body.length <= 1_500) {
                return body;
            }
        }
    }

    private static byte[] body(Typed typed) {
        return body(typed.type(), typed.message());
    }

    private static <T> byte[] body(MessageType<T> type, Object message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            type.codec().write(type.javaType().cast(message), buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** Decodes {@code body} as the frame decoder would: true if it decoded, false if rejected as bad input. */
    private static boolean decodeOrReject(MessageType<?> type, byte[] body) {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        try {
            type.codec().read(in);
            return !in.isReadable(); // trailing bytes are a BAD_FRAME too
        } catch (WireException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return false;
        } finally {
            in.release();
        }
    }

    private static void assertRejectedByTheCodec(MessageType<?> type, byte[] body) {
        assertThat(decodeOrReject(type, body)).as("%s body of %d bytes", type, body.length).isFalse();
    }

    private static long rejectionAllocation(MessageType<?> type, byte[] body) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        boolean decoded = decodeOrReject(type, body);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(decoded).isFalse();
        return allocated;
    }

    private static WireException catchWireException(MessageType<?> type, byte[] body) {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        try {
            type.codec().read(in);
            throw new AssertionError("decoded a hostile " + type + " body");
        } catch (WireException e) {
            return e;
        } finally {
            in.release();
        }
    }

    private static void assertBadFrame(Throwable caught) {
        assertThat(caught).isInstanceOf(WireException.class);
        WireException e = (WireException) caught;
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(e.connectionFatal()).isFalse();
    }
}
