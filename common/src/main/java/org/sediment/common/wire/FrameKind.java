package org.sediment.common.wire;

/**
 * What a frame is: a request, the response to one, or an error reply to one. Carried in its own
 * header byte so that a peer can tell the three apart before it looks at the message type.
 */
public enum FrameKind {
    REQUEST(0),
    RESPONSE(1),
    ERROR(2);

    private final int wireCode;

    FrameKind(int wireCode) {
        this.wireCode = wireCode;
    }

    public int wireCode() {
        return wireCode;
    }

    /** The kind for a header byte, or {@code null} if the byte names no kind (a bad frame). */
    public static FrameKind fromWireCode(int code) {
        return switch (code) {
            case 0 -> REQUEST;
            case 1 -> RESPONSE;
            case 2 -> ERROR;
            default -> null;
        };
    }
}
