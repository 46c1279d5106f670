package org.sediment.router.ssd;

import org.sediment.common.wire.ErrorCode;

/** Every replica of the group refused or failed the call; {@code code} is the last failure. */
public final class SsdCallException extends RuntimeException {
    private final ErrorCode code;

    public SsdCallException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
