package org.sediment.common.wire;

/**
 * The one exception type of the wire layer: a frame could not be decoded or encoded. It carries
 * the {@link ErrorCode} to reply with, the request id to reply to (when the header got that far)
 * and whether the byte stream can still be trusted.
 *
 * <p>These are expected failures caused by peers, so the stack trace is not filled in: a fuzzer
 * or a misbehaving client can raise hundreds of thousands of them, and the detail message says
 * exactly what was wrong.
 */
public final class WireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final long requestId;
    private final boolean connectionFatal;

    private WireException(ErrorCode code, String detail, long requestId, boolean connectionFatal) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
        this.requestId = requestId;
        this.connectionFatal = connectionFatal;
    }

    /**
     * The framing itself is broken (wrong magic, a length that cannot be trusted): nothing after
     * this point of the stream can be parsed, so the connection must close.
     */
    public static WireException fatal(ErrorCode code, String detail) {
        return new WireException(code, detail, FrameHeader.NO_REQUEST_ID, true);
    }

    /** One well-framed frame is bad; the stream stays in sync and the connection can stay open. */
    public static WireException inFrame(ErrorCode code, long requestId, String detail) {
        return new WireException(code, detail, requestId, false);
    }

    /** A body field is invalid; the decoder fills in the request id when it rethrows. */
    public static WireException badBody(String detail) {
        return new WireException(ErrorCode.BAD_FRAME, detail, FrameHeader.NO_REQUEST_ID, false);
    }

    public ErrorCode code() {
        return code;
    }

    /** The request this failure answers, or {@link FrameHeader#NO_REQUEST_ID} if unknown. */
    public long requestId() {
        return requestId;
    }

    public boolean connectionFatal() {
        return connectionFatal;
    }

    /** The message without the code prefix, for an {@link ErrorReply}'s detail. */
    public String detail() {
        String message = getMessage();
        return message.substring(code.name().length() + 2);
    }
}
