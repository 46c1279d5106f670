package org.sediment.common.api.ssd;

import java.util.List;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.MessageType;

/**
 * The SSD tier's client-facing calls: writes, cold-link commits, pages, gets, the memory tier's
 * batched version checks and cold-route updates. Routers, the memory tier and the sinker call
 * them, so they live in {@code common}; the SSD node registers {@link #ALL} and serves the
 * methods. Message ids 1024..1099 of the ssd-tier range (WIRE.md).
 *
 * <p>Every message fits one frame of {@link FrameLimits#DEFAULT_MAX_FRAME_BYTES}: requests by
 * their limits, replies by the byte budget their records check. Servers and clients of this API
 * must run with at least that frame limit.
 */
public final class SsdApi {

    /** {@code ifVersion} of an unconditional write. */
    public static final long UNCONDITIONAL = -1L;
    /** A version field a {@link WriteReply} leaves unset. */
    public static final long NO_VERSION = -1L;

    /** The largest message body in a frame of the default limit. */
    public static final int MAX_BODY_BYTES = FrameLimits.DEFAULT_MAX_FRAME_BYTES - FrameHeader.MIN_FRAME_BYTES;
    /**
     * The largest item value: 1 MiB less 64 KiB, so a write, a get reply or a one-item page of it
     * fits a default frame with room for the other fields and a page's cold links and routes.
     */
    public static final int MAX_VALUE_BYTES = FrameLimits.DEFAULT_MAX_FRAME_BYTES - (64 << 10);
    public static final int MAX_PAGE_ITEMS = 1_000;
    /** A link stands for at least one item of the page, so a page needs no more links than items. */
    public static final int MAX_PAGE_COLD_LINKS = MAX_PAGE_ITEMS;
    public static final int MAX_DETAIL_BYTES = 512;
    public static final int MAX_COLD_REPLICAS = 8;
    public static final int MAX_ADDRESS_BYTES = 255;
    public static final int MAX_ROUTES_PER_UPDATE = 4_096;
    public static final int MAX_VERSION_CLAIMS = 1_000;
    /** The most timelines one multi-page or multi-get call names. */
    public static final int MAX_BATCH_PARTS = 1_000;

    public static final MessageType<WriteRequest> WRITE_REQUEST =
            new MessageType<>(1024, "WriteRequest", WriteRequest.class, SsdCodecs.WRITE_REQUEST);
    public static final MessageType<WriteReply> WRITE_REPLY =
            new MessageType<>(1025, "WriteReply", WriteReply.class, SsdCodecs.WRITE_REPLY);
    public static final MessageType<ColdLinkCommit> COLD_LINK_COMMIT =
            new MessageType<>(1026, "ColdLinkCommit", ColdLinkCommit.class, SsdCodecs.COLD_LINK_COMMIT);
    public static final MessageType<PageRequest> PAGE_REQUEST =
            new MessageType<>(1027, "PageRequest", PageRequest.class, SsdCodecs.PAGE_REQUEST);
    public static final MessageType<PageReply> PAGE_REPLY =
            new MessageType<>(1028, "PageReply", PageReply.class, SsdCodecs.PAGE_REPLY);
    public static final MessageType<GetRequest> GET_REQUEST =
            new MessageType<>(1029, "GetRequest", GetRequest.class, SsdCodecs.GET_REQUEST);
    public static final MessageType<GetReply> GET_REPLY =
            new MessageType<>(1030, "GetReply", GetReply.class, SsdCodecs.GET_REPLY);
    public static final MessageType<VersionCheckRequest> VERSION_CHECK_REQUEST = new MessageType<>(1031,
            "VersionCheckRequest", VersionCheckRequest.class, SsdCodecs.VERSION_CHECK_REQUEST);
    public static final MessageType<VersionCheckReply> VERSION_CHECK_REPLY = new MessageType<>(1032,
            "VersionCheckReply", VersionCheckReply.class, SsdCodecs.VERSION_CHECK_REPLY);
    public static final MessageType<ColdRouteUpdate> COLD_ROUTE_UPDATE =
            new MessageType<>(1033, "ColdRouteUpdate", ColdRouteUpdate.class, SsdCodecs.COLD_ROUTE_UPDATE);
    public static final MessageType<ColdRouteAck> COLD_ROUTE_ACK =
            new MessageType<>(1034, "ColdRouteAck", ColdRouteAck.class, SsdCodecs.COLD_ROUTE_ACK);

    public static final RpcMethod<WriteRequest, WriteReply> WRITE =
            new RpcMethod<>(WRITE_REQUEST, WRITE_REPLY, true);
    public static final MessageType<MultiPageRequest> MULTI_PAGE_REQUEST =
            new MessageType<>(1035, "MultiPageRequest", MultiPageRequest.class, SsdCodecs.MULTI_PAGE_REQUEST);
    public static final MessageType<MultiPageReply> MULTI_PAGE_REPLY =
            new MessageType<>(1036, "MultiPageReply", MultiPageReply.class, SsdCodecs.MULTI_PAGE_REPLY);
    public static final MessageType<MultiGetRequest> MULTI_GET_REQUEST =
            new MessageType<>(1037, "MultiGetRequest", MultiGetRequest.class, SsdCodecs.MULTI_GET_REQUEST);
    public static final MessageType<MultiGetReply> MULTI_GET_REPLY =
            new MessageType<>(1038, "MultiGetReply", MultiGetReply.class, SsdCodecs.MULTI_GET_REPLY);
    public static final MessageType<NodeStatusRequest> NODE_STATUS_REQUEST =
            new MessageType<>(1039, "NodeStatusRequest", NodeStatusRequest.class, SsdCodecs.NODE_STATUS_REQUEST);
    public static final MessageType<NodeStatus> NODE_STATUS =
            new MessageType<>(1040, "NodeStatus", NodeStatus.class, SsdCodecs.NODE_STATUS);

    public static final RpcMethod<ColdLinkCommit, WriteReply> COMMIT_COLD_LINK =
            new RpcMethod<>(COLD_LINK_COMMIT, WRITE_REPLY, true);
    public static final RpcMethod<PageRequest, PageReply> PAGE = new RpcMethod<>(PAGE_REQUEST, PAGE_REPLY, true);
    public static final RpcMethod<GetRequest, GetReply> GET = new RpcMethod<>(GET_REQUEST, GET_REPLY, true);
    public static final RpcMethod<MultiPageRequest, MultiPageReply> MULTI_PAGE =
            new RpcMethod<>(MULTI_PAGE_REQUEST, MULTI_PAGE_REPLY, true);
    public static final RpcMethod<MultiGetRequest, MultiGetReply> MULTI_GET =
            new RpcMethod<>(MULTI_GET_REQUEST, MULTI_GET_REPLY, true);
    public static final RpcMethod<VersionCheckRequest, VersionCheckReply> VERSION_CHECK =
            new RpcMethod<>(VERSION_CHECK_REQUEST, VERSION_CHECK_REPLY, true);
    /** Addresses machines, not data: cold routes are pushed by operations, whatever the data routes. */
    public static final RpcMethod<ColdRouteUpdate, ColdRouteAck> UPDATE_COLD_ROUTES =
            new RpcMethod<>(COLD_ROUTE_UPDATE, COLD_ROUTE_ACK, false);

    /** Addresses a machine: answered whatever the caller's routes. */
    public static final RpcMethod<NodeStatusRequest, NodeStatus> STATUS =
            new RpcMethod<>(NODE_STATUS_REQUEST, NODE_STATUS, false);

    public static final List<MessageType<?>> ALL = List.of(WRITE_REQUEST, WRITE_REPLY, COLD_LINK_COMMIT,
            PAGE_REQUEST, PAGE_REPLY, GET_REQUEST, GET_REPLY, VERSION_CHECK_REQUEST, VERSION_CHECK_REPLY,
            COLD_ROUTE_UPDATE, COLD_ROUTE_ACK, MULTI_PAGE_REQUEST, MULTI_PAGE_REPLY, MULTI_GET_REQUEST, MULTI_GET_REPLY,
            NODE_STATUS_REQUEST, NODE_STATUS);

    public static final List<RpcMethod<?, ?>> METHODS =
            List.of(WRITE, COMMIT_COLD_LINK, PAGE, GET, MULTI_PAGE, MULTI_GET, VERSION_CHECK, UPDATE_COLD_ROUTES,
            STATUS);

    private SsdApi() {
    }
}
