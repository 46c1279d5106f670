package org.sediment.router.config;

/** A route config that cannot be used; the message names the field and what is wrong with it. */
public final class RouteConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RouteConfigException(String message) {
        super(message);
    }

    public RouteConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
