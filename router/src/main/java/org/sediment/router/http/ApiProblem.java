package org.sediment.router.http;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses before calling the store, with the status and problem type it
 * answers (RFC 9457): a malformed owner, cursor, limit or body, a value over the limit.
 */
final class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final String type;

    ApiProblem(HttpStatus status, String type, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
    }

    static ApiProblem badRequest(String type, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, type, detail);
    }

    HttpStatus status() {
        return status;
    }

    /** The last part of the problem type URI, e.g. {@code malformed-owner}. */
    String type() {
        return type;
    }
}
