package org.sediment.router.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.sediment.common.key.ItemKey;
import org.sediment.router.client.Cursor;
import org.sediment.router.client.FeedPage;
import org.sediment.router.client.Item;
import org.sediment.router.client.ItemRead;
import org.sediment.router.client.Page;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.client.SedimentException;
import org.sediment.router.client.Write;
import org.sediment.router.client.Written;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP/JSON timeline API over the SDK. Owners are unsigned 64-bit decimal numbers; a
 * timeline's version is its entity tag, and {@code If-Match} makes a write a compare-and-set;
 * {@code Idempotency-Key} makes a resent write apply at most once. Pages run newest first with an
 * opaque cursor ({@code next}) that stays correct while items are appended.
 */
@RestController
@RequestMapping("/v1")
class TimelineController {
    static final int DEFAULT_LIMIT = 20;
    private static final int MAX_IDEMPOTENCY_KEY_CHARS = 255;

    private final SedimentClient client;
    private final HttpApiProperties properties;

    TimelineController(SedimentClient client, HttpApiProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @PostMapping("/timelines/{owner}/items")
    ResponseEntity<Json.WrittenView> append(@PathVariable String owner, @RequestBody(required = false) Json.ValueBody body,
                                            @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                            @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        long id = owner(owner);
        byte[] value = value(body);
        long ts = body.ts() != null ? ts(body.ts(), "ts") : client.now();
        Written written = client.write(conditional(Write.append(id, ts, value), ifMatch, id, key));
        return ResponseEntity.created(URI.create("/v1/timelines/" + owner + "/items/" + written.ts() + "/"
                        + Integer.toUnsignedString(written.seq())))
                .eTag(Etags.of(written.version())).body(view(written));
    }

    @GetMapping("/timelines/{owner}")
    ResponseEntity<Json.PageView> timeline(@PathVariable String owner,
                                           @RequestParam(required = false) String before,
                                           @RequestParam(required = false) String limit) {
        long id = owner(owner);
        Cursor cursor = before == null || before.isEmpty() ? null : cursor(before, Cursor.Kind.TIMELINE);
        if (cursor != null && cursor.owner() != id) {
            throw ApiProblem.badRequest("malformed-cursor", "the cursor belongs to another timeline");
        }
        Page page = client.timeline(id, cursor, limit(limit));
        return ResponseEntity.ok().eTag(Etags.of(page.version())).body(new Json.PageView(Json.items(page.items(), false),
                page.next() == null ? null : page.next().encode(), page.version()));
    }

    @GetMapping("/timelines/{owner}/items/{ts}/{seq}")
    ResponseEntity<Json.ItemView> get(@PathVariable String owner, @PathVariable String ts, @PathVariable String seq) {
        long id = owner(owner);
        long time = ts(number(ts, "ts"), "ts");
        int s = seq(seq);
        ItemRead read = client.get(id, time, s);
        Item item = read.item().orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "timeline " + owner
                + " has no item " + ts + "/" + seq + " (at version " + read.version() + ")"));
        return ResponseEntity.ok().eTag(Etags.of(read.version())).body(Json.item(item, false, read.version()));
    }

    @PutMapping("/timelines/{owner}/items/{ts}/{seq}")
    ResponseEntity<Json.WrittenView> put(@PathVariable String owner, @PathVariable String ts, @PathVariable String seq,
                                         @RequestBody(required = false) Json.ValueBody body,
                                         @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                         @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        long id = owner(owner);
        long time = ts(number(ts, "ts"), "ts");
        int s = seq(seq);
        byte[] value = value(body);
        if (body.ts() != null && body.ts() != time) {
            throw ApiProblem.badRequest("malformed-body", "the body's ts " + body.ts() + " differs from the path's " + ts);
        }
        Written written = client.write(conditional(Write.put(id, time, s, value), ifMatch, id, key));
        return ResponseEntity.ok().eTag(Etags.of(written.version())).body(view(written));
    }

    @DeleteMapping("/timelines/{owner}/items/{ts}/{seq}")
    ResponseEntity<Json.WrittenView> delete(@PathVariable String owner, @PathVariable String ts, @PathVariable String seq,
                                            @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                            @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        long id = owner(owner);
        Written written = client.write(conditional(Write.delete(id, ts(number(ts, "ts"), "ts"), seq(seq)), ifMatch, id,
                key));
        return ResponseEntity.ok().eTag(Etags.of(written.version())).body(view(written));
    }

    @GetMapping("/feed")
    Json.FeedView feed(@RequestParam(required = false) String owners, @RequestParam(required = false) String before,
                       @RequestParam(required = false) String limit) {
        if (owners == null || owners.isBlank()) {
            throw ApiProblem.badRequest("malformed-owner", "owners must list 1 to " + SedimentClient.MAX_OWNERS
                    + " owners, comma-separated");
        }
        String[] parts = owners.split(",", -1);
        if (parts.length > SedimentClient.MAX_OWNERS) {
            throw ApiProblem.badRequest("malformed-owner", "a feed names at most " + SedimentClient.MAX_OWNERS
                    + " owners, got " + parts.length);
        }
        List<Long> ids = new ArrayList<>(parts.length);
        for (String part : parts) {
            ids.add(owner(part.trim()));
        }
        Cursor cursor = before == null || before.isEmpty() ? null : cursor(before, Cursor.Kind.FEED);
        FeedPage page = client.feed(ids, cursor, limit(limit));
        return new Json.FeedView(Json.items(page.items(), true), page.next() == null ? null : page.next().encode());
    }

    // ------------------------------------------------------------------ parsing

    private static Json.WrittenView view(Written written) {
        return new Json.WrittenView(written.ts(), Integer.toUnsignedLong(written.seq()), written.version());
    }

    private static long owner(String text) {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("malformed-owner", "an owner is an unsigned 64-bit decimal number (0 to "
                    + Long.toUnsignedString(-1) + "), got '" + clip(text) + "'");
        }
    }

    private static long number(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("malformed-" + what, what + " must be a decimal number, got '" + clip(text) + "'");
        }
    }

    private static long ts(long ts, String what) {
        if (ts < ItemKey.MIN_TS || ts > ItemKey.MAX_TS) {
            throw ApiProblem.badRequest("malformed-ts", what + " must be epoch milliseconds in [" + ItemKey.MIN_TS + ", "
                    + ItemKey.MAX_TS + "], got " + ts);
        }
        return ts;
    }

    private static int seq(String text) {
        try {
            return Integer.parseUnsignedInt(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("malformed-seq", "seq is an unsigned 32-bit decimal number, got '" + clip(text) + "'");
        }
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        long limit;
        try {
            limit = Long.parseLong(text);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > SedimentClient.MAX_LIMIT) {
            throw ApiProblem.badRequest("malformed-limit", "limit must be a number in [1, " + SedimentClient.MAX_LIMIT
                    + "], got '" + clip(text) + "'");
        }
        return (int) limit;
    }

    private static Cursor cursor(String text, Cursor.Kind kind) {
        try {
            return Cursor.decode(text, kind);
        } catch (SedimentException e) {
            throw ApiProblem.badRequest("malformed-cursor", e.getMessage());
        }
    }

    private byte[] value(Json.ValueBody body) {
        if (body == null || (body.value() == null) == (body.valueBase64() == null)) {
            throw ApiProblem.badRequest("malformed-body", "the body must be JSON with exactly one of \"value\" (UTF-8 text)"
                    + " and \"valueBase64\"");
        }
        byte[] value;
        if (body.value() != null) {
            value = body.value().getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                value = Base64.getDecoder().decode(body.valueBase64());
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("malformed-body", "valueBase64 is not base64: " + e.getMessage());
            }
        }
        if (value.length > properties.maxValueBytes()) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "value-too-large", "the value has " + value.length
                    + " bytes; the limit is " + properties.maxValueBytes());
        }
        return value;
    }

    /** {@code write} made conditional by {@code If-Match} and idempotent by {@code Idempotency-Key}. */
    private static Write conditional(Write write, String ifMatch, long owner, String key) {
        long version = Etags.ifMatch(ifMatch);
        Write result = version >= 0 ? write.ifVersion(version) : write;
        if (key != null) {
            result = result.withRequestId(requestId(owner, key));
        }
        return result;
    }

    /**
     * The request id of an idempotency key: 64 bits of SHA-256 over the owner and the key, so the
     * same key resent for the same timeline (through any API process) is the same request.
     */
    static long requestId(long owner, String key) {
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_CHARS) {
            throw ApiProblem.badRequest("malformed-idempotency-key", "Idempotency-Key must have 1 to "
                    + MAX_IDEMPOTENCY_KEY_CHARS + " characters, got " + key.length());
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Long.toUnsignedString(owner).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (digest[i] & 0xff);
            }
            return id == 0 ? 1 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
