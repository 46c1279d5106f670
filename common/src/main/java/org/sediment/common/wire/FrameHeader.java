package org.sediment.common.wire;

/**
 * The fixed header of every frame, after the length field.
 *
 * <pre>
 * offset size field                 notes
 *      0    4 length               bytes after this field (header + body), big endian
 *      4    2 magic                0x5344 ("SD")
 *      6    1 protocolVersion      {@link #PROTOCOL_VERSION}
 *      7    1 kind                 {@link FrameKind}
 *      8    8 requestId            chosen by the client, echoed in the reply
 *     16    2 messageType          unsigned, see {@link MessageType}
 *     18    1 businessPriority     unsigned 0..255, lower is more important (DAGOR)
 *     19    1 userPriority         0..127, lower is more important (DAGOR)
 *     20    8 routeVersion         requests: the sender's routes; replies: the server's
 *     28    - body                 encoded by the message type's {@link MessageCodec}
 * </pre>
 *
 * <p>The first 16 bytes (length, magic, version, kind, requestId) are frozen for every future
 * protocol version: that is what lets a server answer a frame of a version it does not speak
 * with an {@link ErrorCode#UNSUPPORTED_VERSION} reply the client can still correlate.
 *
 * @param requestId    {@link #NO_REQUEST_ID} only on error replies to frames that never got a
 *                     readable id; clients number requests from 1
 * @param routeVersion a request older than the server's routes gets {@link ErrorCode#STALE_ROUTE}
 */
public record FrameHeader(
        FrameKind kind,
        long requestId,
        int messageTypeId,
        int businessPriority,
        int userPriority,
        long routeVersion) {

    public static final int MAGIC = 0x5344;
    /**
     * 2 (2026-11-22): a get's reply may name a cold link and route; a snapshot reply is one part
     * of several; a group probe's reply says whether the peer is ready and holds accepted values.
     * 3 (2026-12-04): a write request carries the caller's request id; snapshots carry the
     * timeline's request memory.
     * 4 (2026-12-07): a page reply says whether it was cut at the frame budget; multi-page and
     * multi-get calls; a node status call.
     * 5 (2026-12-08): a version verdict says whether its fresh page is the whole timeline.
     */
    public static final int PROTOCOL_VERSION = 5;
    public static final int LENGTH_FIELD_BYTES = 4;
    /** Header bytes after the length field. */
    public static final int HEADER_BYTES = 24;
    /** The smallest possible frame: length field and header, empty body. */
    public static final int MIN_FRAME_BYTES = LENGTH_FIELD_BYTES + HEADER_BYTES;
    public static final long NO_REQUEST_ID = 0L;
    public static final int MAX_BUSINESS_PRIORITY = 255;
    /** DAGOR's 128 user priority levels. */
    public static final int MAX_USER_PRIORITY = 127;

    static final int MAGIC_OFFSET = 4;
    static final int VERSION_OFFSET = 6;
    static final int KIND_OFFSET = 7;
    static final int REQUEST_ID_OFFSET = 8;

    public FrameHeader {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (messageTypeId < 0 || messageTypeId > MessageType.MAX_ID) {
            throw new IllegalArgumentException(
                    "messageTypeId " + messageTypeId + " out of range [0, " + MessageType.MAX_ID + "]");
        }
        if (businessPriority < 0 || businessPriority > MAX_BUSINESS_PRIORITY) {
            throw new IllegalArgumentException("businessPriority " + businessPriority
                    + " out of range [0, " + MAX_BUSINESS_PRIORITY + "]");
        }
        if (userPriority < 0 || userPriority > MAX_USER_PRIORITY) {
            throw new IllegalArgumentException("userPriority " + userPriority
                    + " out of range [0, " + MAX_USER_PRIORITY + "]");
        }
    }

    /** The header of a reply to {@code this} request: same id and priorities. */
    public FrameHeader reply(FrameKind replyKind, int replyTypeId, long serverRouteVersion) {
        return new FrameHeader(replyKind, requestId, replyTypeId, businessPriority, userPriority,
                serverRouteVersion);
    }
}
