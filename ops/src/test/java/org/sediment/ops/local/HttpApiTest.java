package org.sediment.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP API end to end against a local cluster (two SSD groups of three replicas in this JVM,
 * real Netty servers and LevelDB on disk): the README's tour, asserted, and every kind of bad
 * request with its documented status and an RFC 9457 problem-details body.
 */
class HttpApiTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalClusters.start(dir, 2, false);
        http = HttpClient.newHttpClient();
        base = cluster.httpUrl();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theTour() throws Exception {
        // Append three items, newest last.
        List<JsonNode> appended = new ArrayList<>();
        for (String value : List.of("first", "second", "third")) {
            HttpResponse<String> r = send("POST", "/v1/timelines/1001/items", "{\"value\":\"" + value + "\"}", null);
            assertThat(r.statusCode()).isEqualTo(201);
            JsonNode body = JSON.readTree(r.body());
            assertThat(r.headers().firstValue("ETag")).hasValue("\"" + body.get("version").asLong() + "\"");
            assertThat(r.headers().firstValue("Location")).hasValue("/v1/timelines/1001/items/" + body.get("ts").asLong()
                    + "/" + body.get("seq").asLong());
            appended.add(body);
        }
        assertThat(appended.get(2).get("version").asLong()).isGreaterThan(appended.get(0).get("version").asLong());

        // Page it newest first, two at a time, following the cursor.
        JsonNode first = JSON.readTree(get("/v1/timelines/1001?limit=2").body());
        assertThat(values(first)).containsExactly("third", "second");
        JsonNode second = JSON.readTree(get("/v1/timelines/1001?limit=2&before=" + first.get("next").asString()).body());
        assertThat(values(second)).containsExactly("first");
        assertThat(second.get("next").isNull()).isTrue();

        // One item: read, replace, delete.
        JsonNode item = appended.get(0);
        String itemPath = "/v1/timelines/1001/items/" + item.get("ts").asLong() + "/" + item.get("seq").asLong();
        assertThat(JSON.readTree(get(itemPath).body()).get("value").asString()).isEqualTo("first");
        assertThat(send("PUT", itemPath, "{\"value\":\"first, edited\"}", null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(get(itemPath).body()).get("value").asString()).isEqualTo("first, edited");
        assertThat(send("DELETE", itemPath, null, null).statusCode()).isEqualTo(200);
        assertProblem(get(itemPath), 404, "not-found");

        // A feed over two timelines (on whichever groups they fall): merged newest first.
        send("POST", "/v1/timelines/2002/items", "{\"value\":\"other\",\"ts\":" + (item.get("ts").asLong() + 5_000) + "}",
                null);
        JsonNode feed = JSON.readTree(get("/v1/feed?owners=1001,2002&limit=10").body());
        assertThat(values(feed)).containsExactly("other", "third", "second");
        assertThat(feed.get("items").get(0).get("owner").asString()).isEqualTo("2002");

        // Compare-and-set: a write at the current version passes, at a stale one fails with 412.
        HttpResponse<String> page = get("/v1/timelines/1001?limit=1");
        String etag = page.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> ok = send("POST", "/v1/timelines/1001/items", "{\"value\":\"cas\"}", etag);
        assertThat(ok.statusCode()).isEqualTo(201);
        HttpResponse<String> stale = send("POST", "/v1/timelines/1001/items", "{\"value\":\"cas again\"}", etag);
        JsonNode problem = assertProblem(stale, 412, "version-mismatch");
        assertThat(problem.get("currentVersion").asLong()).isGreaterThan(Long.parseLong(etag.replace("\"", "")));

        // A resent write with the same Idempotency-Key applies once and answers the same.
        HttpRequest once = HttpRequest.newBuilder(URI.create(base + "/v1/timelines/3003/items"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "order-77")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"paid\",\"ts\":1700000000000}")).build();
        JsonNode a = JSON.readTree(http.send(once, HttpResponse.BodyHandlers.ofString()).body());
        JsonNode b = JSON.readTree(http.send(once, HttpResponse.BodyHandlers.ofString()).body());
        assertThat(b).isEqualTo(a);
        assertThat(values(JSON.readTree(get("/v1/timelines/3003").body()))).containsExactly("paid");

        // Binary values travel as base64.
        byte[] binary = {(byte) 0xff, 0, (byte) 0xfe};
        send("POST", "/v1/timelines/4004/items", "{\"valueBase64\":\"" + Base64.getEncoder().encodeToString(binary) + "\"}",
                null);
        JsonNode binaryPage = JSON.readTree(get("/v1/timelines/4004").body());
        assertThat(Base64.getDecoder().decode(binaryPage.get("items").get(0).get("valueBase64").asString())).isEqualTo(binary);

        // Health and metrics.
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"ssdNodes\"").contains("group 1 node 2");
        assertThat(get("/actuator/prometheus").body()).contains("http_server_requests_seconds")
                .contains("sediment_ssd_voting{group=\"0\",node=\"0\"} 1.0");
        assertThat(get("/v3/api-docs").body()).contains("/v1/timelines/{owner}/items");
    }

    @Test
    void badRequestsGetTheirStatusAndAProblemDocument() throws Exception {
        assertProblem(get("/v1/timelines/abc"), 400, "malformed-owner");
        assertProblem(get("/v1/timelines/-5"), 400, "malformed-owner");
        assertProblem(get("/v1/timelines/18446744073709551616"), 400, "malformed-owner");
        assertProblem(get("/v1/timelines/1?limit=0"), 400, "malformed-limit");
        assertProblem(get("/v1/timelines/1?limit=1001"), 400, "malformed-limit");
        assertProblem(get("/v1/timelines/1?limit=ten"), 400, "malformed-limit");
        assertProblem(get("/v1/timelines/1?before=garbage"), 400, "malformed-cursor");
        assertProblem(get("/v1/feed?owners="), 400, "malformed-owner");
        assertProblem(get("/v1/feed?owners=1,x"), 400, "malformed-owner");
        assertProblem(get("/v1/timelines/1/items/abc/0"), 400, "malformed-ts");
        assertProblem(get("/v1/timelines/1/items/1/-1"), 400, "malformed-seq");
        assertProblem(get("/v1/timelines/1/items/-1/0"), 400, "malformed-ts");
        assertProblem(send("POST", "/v1/timelines/1/items", "not json", null), 400, "malformed-body");
        assertProblem(send("POST", "/v1/timelines/1/items", "{}", null), 400, "malformed-body");
        assertProblem(send("POST", "/v1/timelines/1/items", "{\"value\":\"a\",\"valueBase64\":\"YQ==\"}", null), 400,
                "malformed-body");
        assertProblem(send("POST", "/v1/timelines/1/items", "{\"valueBase64\":\"***\"}", null), 400, "malformed-body");
        assertProblem(send("POST", "/v1/timelines/1/items", "{\"value\":\"a\",\"ts\":-1}", null), 400, "malformed-ts");
        assertProblem(send("POST", "/v1/timelines/1/items", "{\"value\":\"a\"}", "\"seven\""), 400, "malformed-if-match");
        assertProblem(send("POST", "/v1/timelines/1/items", "{\"value\":\"" + "x".repeat((64 << 10) + 1) + "\"}", null),
                413, "value-too-large");
        assertProblem(send("POST", "/v1/timelines/1/items", "{\"value\":\"" + "x".repeat(1 << 20) + "\"}", null), 413,
                "value-too-large");
        HttpResponse<String> unknown = get("/v1/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        // A value exactly at the limit is fine.
        assertThat(send("POST", "/v1/timelines/1/items", "{\"value\":\"" + "x".repeat(64 << 10) + "\"}", null).statusCode())
                .isEqualTo(201);
    }

    private static List<String> values(JsonNode page) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : page.get("items")) {
            values.add(item.get("value").asString());
        }
        return values;
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).endsWith("/" + type);
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body, String ifMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
                "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
