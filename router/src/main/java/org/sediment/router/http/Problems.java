package org.sediment.router.http;

import java.net.URI;
import org.sediment.router.client.SedimentException;
import org.sediment.router.client.VersionConflictException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure as RFC 9457 problem details with an honest status: 400 for malformed input,
 * 404, 412 for a failed {@code If-Match}, 413 for a value over the limit, 429 when this API is at
 * its in-flight bound and 503 when the group is overloaded or unavailable (both with
 * {@code Retry-After}). Framework errors (unreadable JSON, unknown paths, wrong methods) come
 * through the inherited handlers in the same shape. A 500 means a bug, never bad input.
 */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {

    static final String TYPE_BASE = "https://sediment.dev/problems/";
    private static final String RETRY_AFTER_SECONDS = "1";

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> refused(ApiProblem problem) {
        return respond(problem.status(), problem.type(), problem.getMessage(), false);
    }

    @ExceptionHandler(VersionConflictException.class)
    ResponseEntity<ProblemDetail> conflict(VersionConflictException e) {
        ResponseEntity<ProblemDetail> response = respond(HttpStatus.PRECONDITION_FAILED, "version-mismatch", e.getMessage(),
                false);
        response.getBody().setProperty("currentVersion", e.actualVersion());
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .eTag(Etags.of(e.actualVersion())).body(response.getBody());
    }

    @ExceptionHandler(SedimentException.class)
    ResponseEntity<ProblemDetail> failed(SedimentException e) {
        return switch (e.reason()) {
            case INVALID -> respond(HttpStatus.BAD_REQUEST, "invalid-request", e.getMessage(), false);
            case VERSION_CONFLICT -> respond(HttpStatus.PRECONDITION_FAILED, "version-mismatch", e.getMessage(), false);
            case OVERLOADED -> respond(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", e.getMessage(), true);
            case UNAVAILABLE -> respond(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", e.getMessage(), true);
            case INDETERMINATE -> respond(HttpStatus.SERVICE_UNAVAILABLE, "indeterminate",
                    e.getMessage() + "; resend with the same Idempotency-Key to apply it at most once", true);
            case COLD_UNAVAILABLE -> respond(HttpStatus.SERVICE_UNAVAILABLE, "cold-unavailable", e.getMessage(), true);
            case INTERNAL -> respond(HttpStatus.INTERNAL_SERVER_ERROR, "internal", e.getMessage(), false);
        };
    }

    /** Unreadable JSON is a 400, unless it was a body streamed past the size limit: 413. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(org.springframework.http.converter.HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, org.springframework.web.context.request.WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AdmissionFilter.BodyTooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(respond(HttpStatus.CONTENT_TOO_LARGE,
                        "value-too-large", "the request body is larger than the API accepts", false).getBody());
            }
        }
        return ResponseEntity.badRequest().body(respond(HttpStatus.BAD_REQUEST, "malformed-body",
                "the body is not the JSON this call takes: " + firstLine(e.getMessage()), false).getBody());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }

    static ResponseEntity<ProblemDetail> respond(HttpStatusCode status, String type, String detail, boolean retryLater) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (retryLater) {
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response.body(problem);
    }
}
