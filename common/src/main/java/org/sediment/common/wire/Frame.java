package org.sediment.common.wire;

/**
 * One decoded (or to-be-encoded) frame: header, message type and the message record. Holds no
 * {@code ByteBuf}, so it can be handed to another thread and dropped without any release.
 */
public record Frame(FrameHeader header, MessageType<?> type, Object message) {

    public Frame {
        if (header == null || type == null || message == null) {
            throw new IllegalArgumentException("header, type and message must not be null");
        }
        if (header.messageTypeId() != type.id()) {
            throw new IllegalArgumentException("header names message type " + header.messageTypeId()
                    + " but the frame carries " + type);
        }
        if (!type.javaType().isInstance(message)) {
            throw new IllegalArgumentException(type + " carries " + type.javaType().getSimpleName()
                    + ", not " + message.getClass().getSimpleName());
        }
    }

    /** The message as {@code expected}'s record type, or {@code null} if it is another type. */
    public <T> T messageAs(MessageType<T> expected) {
        return type.id() == expected.id() ? expected.javaType().cast(message) : null;
    }

    /** An error reply to a request with {@code requestHeader}. */
    public static Frame error(FrameHeader requestHeader, ErrorReply reply, long serverRouteVersion) {
        return new Frame(requestHeader.reply(FrameKind.ERROR, BuiltinMessages.ERROR_REPLY.id(), serverRouteVersion),
                BuiltinMessages.ERROR_REPLY, reply);
    }

    /** An error reply to a frame whose header could not be read (or only its request id). */
    public static Frame error(long requestId, ErrorReply reply, long serverRouteVersion) {
        FrameHeader header = new FrameHeader(FrameKind.ERROR, requestId, BuiltinMessages.ERROR_REPLY.id(),
                0, 0, serverRouteVersion);
        return new Frame(header, BuiltinMessages.ERROR_REPLY, reply);
    }
}
