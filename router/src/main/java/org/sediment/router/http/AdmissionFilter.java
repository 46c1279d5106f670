package org.sediment.router.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds what one API process takes on, before any JSON is parsed: at most {@code maxInFlight}
 * API requests at once (more are answered 429 with {@code Retry-After}), and request bodies of at
 * most {@link #maxBodyBytes} (a value at the limit, base64-encoded, with room for the rest of the
 * JSON); a larger body is answered 413, whether it declares its length or streams it.
 */
class AdmissionFilter extends OncePerRequestFilter {
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final long maxBodyBytes;

    AdmissionFilter(HttpApiProperties properties) {
        this.maxInFlight = properties.maxInFlight();
        this.inFlight = new Semaphore(maxInFlight);
        this.maxBodyBytes = 4L * ((properties.maxValueBytes() + 2) / 3) * 2 + 4096;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            problem(response, 413, "value-too-large", "the request body has " + request.getContentLengthLong()
                    + " bytes; bodies are limited to " + maxBodyBytes, false);
            return;
        }
        if (!inFlight.tryAcquire()) {
            problem(response, 429, "too-many-requests", "this API process is serving " + maxInFlight
                    + " requests; retry shortly", true);
            return;
        }
        try {
            chain.doFilter(new LimitedBody(request, maxBodyBytes), response);
        } catch (ServletException e) {
            if (e.getCause() instanceof BodyTooLarge) {
                problem(response, 413, "value-too-large", "the request body exceeds " + maxBodyBytes + " bytes", false);
            } else {
                throw e;
            }
        } finally {
            inFlight.release();
        }
    }

    private static void problem(HttpServletResponse response, int status, String type, String detail, boolean retry)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/problem+json");
        if (retry) {
            response.setHeader("Retry-After", "1");
        }
        String body = "{\"type\":\"" + Problems.TYPE_BASE + type + "\",\"title\":\"" + (status == 413 ? "Content Too Large"
                : "Too Many Requests") + "\",\"status\":" + status + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Thrown (wrapped by the framework) when a streamed body passes the limit. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("request body too large");
        }
    }

    private static final class LimitedBody extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedBody(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++read > limit) {
                            throw new BodyTooLarge();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0 && (read += n) > limit) {
                            throw new BodyTooLarge();
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
