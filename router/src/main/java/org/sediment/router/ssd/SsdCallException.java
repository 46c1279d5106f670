package org.sediment.router.ssd;

import org.sediment.common.wire.ErrorCode;

/**
 * Every replica of the group refused or failed the call; {@code code} is the last failure. On
 * {@link ErrorCode#STALE_ROUTE} the caller's routes are older than the server's, and
 * {@link #serverRouteVersion()} names the version to load before calling again.
 */
public final class SsdCallException extends RuntimeException {
    private final ErrorCode code;
    private final long serverRouteVersion;

    public SsdCallException(ErrorCode code, String message) {
        this(code, message, 0);
    }

    public SsdCallException(ErrorCode code, String message, long serverRouteVersion) {
        super(code + ": " + message);
        this.code = code;
        this.serverRouteVersion = serverRouteVersion;
    }

    public ErrorCode code() {
        return code;
    }

    /** The route version the failing server follows, when it said (0 if unknown). */
    public long serverRouteVersion() {
        return serverRouteVersion;
    }
}
