package org.sediment.common.api.ssd;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.sediment.common.block.ColdLink;
import org.sediment.common.wire.MessageCodec;
import org.sediment.common.wire.WireException;
import org.sediment.common.wire.WireFields;

/**
 * Bodies of the {@link SsdApi} messages. Fields in record order, big endian; lists as a 32-bit
 * count then the elements; byte arrays as a 32-bit length then the bytes; strings as a 16-bit
 * UTF-8 length then the bytes; enums as one ordinal byte; booleans as one byte 0 or 1.
 *
 * <p>Reads trust nothing: every count and length is bounded by its limit and by the bytes left
 * before anything is allocated ({@link WireFields}), and the records' constructors check the
 * rest. Records own their bytes: values are copied out of the buffer.
 */
final class SsdCodecs {

    /** Smallest encodings, for bounding a count by the bytes left. */
    private static final int MIN_ITEM_BYTES = TimelineItem.ENCODED_OVERHEAD_BYTES;
    private static final int MIN_ROUTE_BYTES = ColdRoute.ENCODED_OVERHEAD_BYTES;
    private static final int MIN_ADDRESS_BYTES = ColdRoute.ADDRESS_OVERHEAD_BYTES;
    private static final int CLAIM_BYTES = 8 + 8;
    private static final int PAGE_REQUEST_BYTES = 8 + 1 + 1 + 8 + 4 + 4;
    private static final int GET_REQUEST_BYTES = 8 + 1 + 8 + 4;
    /** Version, found, value length and the two presence flags. */
    private static final int GET_REPLY_MIN_BYTES = 8 + 1 + 4 + 1 + 1;

    static final MessageCodec<WriteRequest> WRITE_REQUEST = codec(SsdCodecs::writeWriteRequest, SsdCodecs::readWriteRequest);
    static final MessageCodec<WriteReply> WRITE_REPLY = codec(SsdCodecs::writeWriteReply, SsdCodecs::readWriteReply);
    static final MessageCodec<ColdLinkCommit> COLD_LINK_COMMIT =
            codec(SsdCodecs::writeColdLinkCommit, SsdCodecs::readColdLinkCommit);
    static final MessageCodec<PageRequest> PAGE_REQUEST = codec(SsdCodecs::writePageRequest, SsdCodecs::readPageRequest);
    static final MessageCodec<PageReply> PAGE_REPLY = codec(SsdCodecs::writePageReply, SsdCodecs::readPageReply);
    static final MessageCodec<GetRequest> GET_REQUEST = codec(SsdCodecs::writeGetRequest, SsdCodecs::readGetRequest);
    static final MessageCodec<GetReply> GET_REPLY = codec(SsdCodecs::writeGetReply, SsdCodecs::readGetReply);
    static final MessageCodec<VersionCheckRequest> VERSION_CHECK_REQUEST =
            codec(SsdCodecs::writeVersionCheckRequest, SsdCodecs::readVersionCheckRequest);
    static final MessageCodec<VersionCheckReply> VERSION_CHECK_REPLY =
            codec(SsdCodecs::writeVersionCheckReply, SsdCodecs::readVersionCheckReply);
    static final MessageCodec<MultiPageRequest> MULTI_PAGE_REQUEST = codec(
            (r, out) -> writeList(r.pages(), out, SsdCodecs::writePageRequest),
            in -> new MultiPageRequest(readList(in, PAGE_REQUEST_BYTES, SsdCodecs::readPageRequest)));
    static final MessageCodec<MultiPageReply> MULTI_PAGE_REPLY = codec(
            (r, out) -> writeList(r.pages(), out, SsdCodecs::writePageReply),
            in -> new MultiPageReply(readList(in, PageReply.EMPTY_BYTES, SsdCodecs::readPageReply)));
    static final MessageCodec<MultiGetRequest> MULTI_GET_REQUEST = codec(
            (r, out) -> writeList(r.gets(), out, SsdCodecs::writeGetRequest),
            in -> new MultiGetRequest(readList(in, GET_REQUEST_BYTES, SsdCodecs::readGetRequest)));
    static final MessageCodec<MultiGetReply> MULTI_GET_REPLY = codec(
            (r, out) -> writeList(r.gets(), out, SsdCodecs::writeGetReply),
            in -> new MultiGetReply(readList(in, GET_REPLY_MIN_BYTES, SsdCodecs::readGetReply)));
    static final MessageCodec<NodeStatusRequest> NODE_STATUS_REQUEST = codec((r, out) -> { }, in -> new NodeStatusRequest());
    static final MessageCodec<NodeStatus> NODE_STATUS = codec(SsdCodecs::writeNodeStatus, SsdCodecs::readNodeStatus);
    static final MessageCodec<ColdRouteUpdate> COLD_ROUTE_UPDATE =
            codec(SsdCodecs::writeColdRouteUpdate, SsdCodecs::readColdRouteUpdate);
    static final MessageCodec<ColdRouteAck> COLD_ROUTE_ACK = codec(
            (ack, out) -> out.writeInt(ack.stored()), in -> new ColdRouteAck(in.readInt()));

    private SsdCodecs() {
    }

    private static <T> MessageCodec<T> codec(BiConsumer<T, ByteBuf> writer, Function<ByteBuf, T> reader) {
        return new MessageCodec<>() {
            @Override
            public void write(T message, ByteBuf out) {
                writer.accept(message, out);
            }

            @Override
            public T read(ByteBuf in) {
                return reader.apply(in);
            }
        };
    }

    // --- writes and cold links

    private static void writeWriteRequest(WriteRequest w, ByteBuf out) {
        out.writeLong(w.timeline());
        WireFields.writeEnum(out, w.kind());
        out.writeLong(w.ifVersion());
        out.writeLong(w.ts());
        out.writeInt(w.seq());
        WireFields.writeBytes(out, w.value(), SsdApi.MAX_VALUE_BYTES);
        out.writeLong(w.requestId());
    }

    private static WriteRequest readWriteRequest(ByteBuf in) {
        long timeline = in.readLong();
        WriteKind kind = WireFields.readEnum(in, WriteKind.values(), "write kind");
        long ifVersion = in.readLong();
        long ts = in.readLong();
        int seq = in.readInt();
        byte[] value = WireFields.readBytes(in, SsdApi.MAX_VALUE_BYTES);
        return new WriteRequest(timeline, kind, ifVersion, ts, seq, value, in.readLong());
    }

    private static void writeWriteReply(WriteReply r, ByteBuf out) {
        WireFields.writeEnum(out, r.status());
        out.writeLong(r.version());
        out.writeInt(r.seq());
        out.writeLong(r.actualVersion());
        WireFields.writeString(out, r.detail(), SsdApi.MAX_DETAIL_BYTES);
    }

    private static WriteReply readWriteReply(ByteBuf in) {
        WriteStatus status = WireFields.readEnum(in, WriteStatus.values(), "write status");
        long version = in.readLong();
        int seq = in.readInt();
        long actualVersion = in.readLong();
        return new WriteReply(status, version, seq, actualVersion, WireFields.readString(in, SsdApi.MAX_DETAIL_BYTES));
    }

    private static void writeColdLinkCommit(ColdLinkCommit c, ByteBuf out) {
        out.writeLong(c.timeline());
        out.writeLong(c.ifVersion());
        out.writeLong(c.coldBeforeTs());
        writeColdLink(c.link(), out);
    }

    private static ColdLinkCommit readColdLinkCommit(ByteBuf in) {
        long timeline = in.readLong();
        long ifVersion = in.readLong();
        long coldBeforeTs = in.readLong();
        return new ColdLinkCommit(timeline, ifVersion, coldBeforeTs, readColdLink(in));
    }

    /** A link travels in its own fixed-size form, the one the SSD tier stores. */
    private static void writeColdLink(ColdLink link, ByteBuf out) {
        out.writeBytes(link.encode());
    }

    private static ColdLink readColdLink(ByteBuf in) {
        byte[] bytes = new byte[ColdLink.ENCODED_BYTES];
        in.readBytes(bytes);
        return ColdLink.decode(bytes);
    }

    // --- reads

    private static void writePageRequest(PageRequest p, ByteBuf out) {
        out.writeLong(p.timeline());
        WireFields.writeEnum(out, p.mode());
        out.writeBoolean(p.fromNewest());
        out.writeLong(p.beforeTs());
        out.writeInt(p.beforeSeq());
        out.writeInt(p.limit());
    }

    private static PageRequest readPageRequest(ByteBuf in) {
        long timeline = in.readLong();
        ReadMode mode = WireFields.readEnum(in, ReadMode.values(), "read mode");
        boolean fromNewest = WireFields.readBoolean(in, "fromNewest");
        long beforeTs = in.readLong();
        int beforeSeq = in.readInt();
        return new PageRequest(timeline, mode, fromNewest, beforeTs, beforeSeq, in.readInt());
    }

    private static void writePageReply(PageReply p, ByteBuf out) {
        out.writeLong(p.version());
        writeItems(p.items(), out);
        WireFields.writeCount(out, p.coldLinks().size(), SsdApi.MAX_PAGE_COLD_LINKS, "cold link");
        for (ColdLink link : p.coldLinks()) {
            writeColdLink(link, out);
        }
        WireFields.writeCount(out, p.coldRoutes().size(), SsdApi.MAX_PAGE_COLD_LINKS, "cold route");
        for (ColdRoute route : p.coldRoutes()) {
            writeColdRoute(route, out);
        }
        out.writeBoolean(p.cut());
    }

    private static PageReply readPageReply(ByteBuf in) {
        long version = in.readLong();
        List<TimelineItem> items = readItems(in);
        int linkCount = WireFields.readCount(in, SsdApi.MAX_PAGE_COLD_LINKS, ColdLink.ENCODED_BYTES, "cold link");
        List<ColdLink> links = new ArrayList<>(linkCount);
        for (int i = 0; i < linkCount; i++) {
            links.add(readColdLink(in));
        }
        int routeCount = WireFields.readCount(in, SsdApi.MAX_PAGE_COLD_LINKS, MIN_ROUTE_BYTES, "cold route");
        List<ColdRoute> routes = new ArrayList<>(routeCount);
        for (int i = 0; i < routeCount; i++) {
            routes.add(readColdRoute(in));
        }
        return new PageReply(version, items, links, routes, WireFields.readBoolean(in, "cut"));
    }

    private static void writeGetRequest(GetRequest g, ByteBuf out) {
        out.writeLong(g.timeline());
        WireFields.writeEnum(out, g.mode());
        out.writeLong(g.ts());
        out.writeInt(g.seq());
    }

    private static GetRequest readGetRequest(ByteBuf in) {
        long timeline = in.readLong();
        ReadMode mode = WireFields.readEnum(in, ReadMode.values(), "read mode");
        long ts = in.readLong();
        return new GetRequest(timeline, mode, ts, in.readInt());
    }

    private static void writeGetReply(GetReply g, ByteBuf out) {
        out.writeLong(g.version());
        out.writeBoolean(g.found());
        WireFields.writeBytes(out, g.value(), SsdApi.MAX_VALUE_BYTES);
        out.writeBoolean(g.coldLink() != null);
        if (g.coldLink() != null) {
            writeColdLink(g.coldLink(), out);
        }
        out.writeBoolean(g.coldRoute() != null);
        if (g.coldRoute() != null) {
            writeColdRoute(g.coldRoute(), out);
        }
    }

    private static GetReply readGetReply(ByteBuf in) {
        long version = in.readLong();
        boolean found = WireFields.readBoolean(in, "found");
        byte[] value = WireFields.readBytes(in, SsdApi.MAX_VALUE_BYTES);
        ColdLink link = WireFields.readBoolean(in, "has cold link") ? readColdLink(in) : null;
        ColdRoute route = WireFields.readBoolean(in, "has cold route") ? readColdRoute(in) : null;
        return new GetReply(version, found, value, link, route);
    }

    private static void writeItems(List<TimelineItem> items, ByteBuf out) {
        WireFields.writeCount(out, items.size(), SsdApi.MAX_PAGE_ITEMS, "item");
        for (TimelineItem item : items) {
            out.writeLong(item.ts());
            out.writeInt(item.seq());
            WireFields.writeBytes(out, item.value(), SsdApi.MAX_VALUE_BYTES);
        }
    }

    private static List<TimelineItem> readItems(ByteBuf in) {
        int count = WireFields.readCount(in, SsdApi.MAX_PAGE_ITEMS, MIN_ITEM_BYTES, "item");
        List<TimelineItem> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long ts = in.readLong();
            int seq = in.readInt();
            items.add(new TimelineItem(ts, seq, WireFields.readBytes(in, SsdApi.MAX_VALUE_BYTES)));
        }
        return items;
    }

    // --- batches of pages and gets

    private static <T> void writeList(List<T> list, ByteBuf out, BiConsumer<T, ByteBuf> writer) {
        WireFields.writeCount(out, list.size(), SsdApi.MAX_BATCH_PARTS, "part");
        for (T element : list) {
            writer.accept(element, out);
        }
    }

    private static <T> List<T> readList(ByteBuf in, int minElementBytes, Function<ByteBuf, T> reader) {
        int count = WireFields.readCount(in, SsdApi.MAX_BATCH_PARTS, minElementBytes, "part");
        List<T> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(reader.apply(in));
        }
        return list;
    }

    private static void writeNodeStatus(NodeStatus s, ByteBuf out) {
        out.writeLong(s.groupId());
        out.writeInt(s.nodeIndex());
        WireFields.writeString(out, s.mode(), NodeStatus.MAX_MODE_BYTES);
        out.writeLong(s.routeVersion());
        out.writeLong(s.dataBytes());
        out.writeInt(s.coreTimelines());
        out.writeLong(s.logRecords());
    }

    private static NodeStatus readNodeStatus(ByteBuf in) {
        long groupId = in.readLong();
        int nodeIndex = in.readInt();
        String mode = WireFields.readString(in, NodeStatus.MAX_MODE_BYTES);
        return new NodeStatus(groupId, nodeIndex, mode, in.readLong(), in.readLong(), in.readInt(), in.readLong());
    }

    // --- version checks

    private static void writeVersionCheckRequest(VersionCheckRequest r, ByteBuf out) {
        out.writeInt(r.pageLimit());
        WireFields.writeCount(out, r.claims().size(), SsdApi.MAX_VERSION_CLAIMS, "claim");
        for (VersionClaim claim : r.claims()) {
            out.writeLong(claim.timeline());
            out.writeLong(claim.version());
        }
    }

    private static VersionCheckRequest readVersionCheckRequest(ByteBuf in) {
        int pageLimit = in.readInt();
        int count = WireFields.readCount(in, SsdApi.MAX_VERSION_CLAIMS, CLAIM_BYTES, "claim");
        List<VersionClaim> claims = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            claims.add(new VersionClaim(in.readLong(), in.readLong()));
        }
        return new VersionCheckRequest(claims, pageLimit);
    }

    private static final int VERDICT_VALID = 1;
    private static final int VERDICT_COMPLETE = 2;

    private static void writeVersionCheckReply(VersionCheckReply r, ByteBuf out) {
        WireFields.writeCount(out, r.verdicts().size(), SsdApi.MAX_VERSION_CLAIMS, "verdict");
        for (VersionVerdict verdict : r.verdicts()) {
            out.writeLong(verdict.timeline());
            out.writeLong(verdict.version());
            out.writeByte((verdict.valid() ? VERDICT_VALID : 0) | (verdict.complete() ? VERDICT_COMPLETE : 0));
            writeItems(verdict.freshPage(), out);
        }
    }

    private static VersionCheckReply readVersionCheckReply(ByteBuf in) {
        int count = WireFields.readCount(in, SsdApi.MAX_VERSION_CLAIMS, VersionVerdict.EMPTY_BYTES, "verdict");
        List<VersionVerdict> verdicts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long timeline = in.readLong();
            long version = in.readLong();
            int flags = in.readUnsignedByte();
            if ((flags & ~(VERDICT_VALID | VERDICT_COMPLETE)) != 0) {
                throw WireException.badBody("unknown verdict flags " + flags);
            }
            verdicts.add(new VersionVerdict(timeline, version, (flags & VERDICT_VALID) != 0, readItems(in),
                    (flags & VERDICT_COMPLETE) != 0));
        }
        return new VersionCheckReply(verdicts);
    }

    // --- cold routes

    private static void writeColdRouteUpdate(ColdRouteUpdate u, ByteBuf out) {
        WireFields.writeCount(out, u.routes().size(), SsdApi.MAX_ROUTES_PER_UPDATE, "cold route");
        for (ColdRoute route : u.routes()) {
            writeColdRoute(route, out);
        }
    }

    private static ColdRouteUpdate readColdRouteUpdate(ByteBuf in) {
        int count = WireFields.readCount(in, SsdApi.MAX_ROUTES_PER_UPDATE, MIN_ROUTE_BYTES, "cold route");
        List<ColdRoute> routes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            routes.add(readColdRoute(in));
        }
        return new ColdRouteUpdate(routes);
    }

    private static void writeColdRoute(ColdRoute route, ByteBuf out) {
        out.writeInt(route.hddGroup());
        WireFields.writeCount(out, route.replicas().size(), SsdApi.MAX_COLD_REPLICAS, "replica");
        for (String address : route.replicas()) {
            WireFields.writeString(out, address, SsdApi.MAX_ADDRESS_BYTES);
        }
    }

    private static ColdRoute readColdRoute(ByteBuf in) {
        int hddGroup = in.readInt();
        int count = WireFields.readCount(in, SsdApi.MAX_COLD_REPLICAS, MIN_ADDRESS_BYTES, "replica");
        List<String> replicas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            replicas.add(WireFields.readString(in, SsdApi.MAX_ADDRESS_BYTES));
        }
        return new ColdRoute(hddGroup, replicas);
    }
}
