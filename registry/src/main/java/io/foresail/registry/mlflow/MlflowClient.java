package io.foresail.registry.mlflow;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * MLflow's REST API over HTTP: the tracking and registry calls ({@code /api/2.0/mlflow/...}) as
 * JSON, and artifacts through the server's artifact proxy ({@code /api/2.0/mlflow-artifacts/...},
 * a server started with {@code --serve-artifacts}).
 *
 * <p>Failures are bounded: a call is attempted at most {@code attempts} times with doubling
 * back-off. A request that never reached the server (connection refused) is always retried;
 * a timeout, 429 or 5xx only for calls that are safe to repeat (reads, uploads of the same bytes,
 * setting a tag or alias). Creating a run or a version is not repeated after it may have reached
 * the server. Thread-safe.
 */
public final class MlflowClient {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowClient.class);

    private final MlflowEndpoint endpoint;
    private final HttpClient http;
    private final int attempts;
    private final Duration backoff;
    private final Duration timeout;

    private MlflowClient(MlflowEndpoint endpoint, int attempts, Duration backoff, Duration timeout) {
        this.endpoint = endpoint;
        this.attempts = attempts;
        this.backoff = backoff;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client with the default policy: 4 attempts, 250 ms first back-off, 60 s per request. */
    public static MlflowClient of(MlflowEndpoint endpoint) {
        return new MlflowClient(endpoint, 4, Duration.ofMillis(250), Duration.ofSeconds(60));
    }

    /** A client with its own retry policy (tests use short ones). */
    public static MlflowClient of(MlflowEndpoint endpoint, int attempts, Duration backoff, Duration timeout) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        return new MlflowClient(endpoint, attempts, backoff, timeout);
    }

    public MlflowEndpoint endpoint() {
        return endpoint;
    }

    /** GET {@code /api/2.0/mlflow/<api>} with query parameters. */
    public JsonNode get(String api, Map<String, String> query) {
        return json("GET", api, query, null, true);
    }

    /** POST a JSON body to {@code /api/2.0/mlflow/<api>}; {@code repeatable} if the call is idempotent. */
    public JsonNode post(String api, Object body, boolean repeatable) {
        return json("POST", api, Map.of(), body, repeatable);
    }

    /** DELETE with a JSON body (how MLflow takes its parameters for deletes). */
    public JsonNode delete(String api, Object body) {
        return json("DELETE", api, Map.of(), body, true);
    }

    /** Uploads a file to the artifact store at {@code path} (e.g. {@code 1/<run>/artifacts/model/x}). */
    public void upload(String path, Path file) {
        URI uri = artifactUri(path, Map.of());
        send("PUT " + path, () -> request(uri).PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString(), true);
    }

    /** Downloads the artifact at {@code path} into {@code target} (replacing it). */
    public void download(String path, Path target) {
        URI uri = artifactUri(path, Map.of());
        send("GET " + path, () -> request(uri).GET().build(), HttpResponse.BodyHandlers.ofFile(target), true);
    }

    /** A file or directory in the artifact store; {@code size} in bytes, -1 for directories. */
    public record ArtifactFile(String path, boolean directory, long size) {
    }

    /** Lists the artifact directory {@code path} (one level). */
    public List<ArtifactFile> list(String path) {
        URI uri = artifactUri("", Map.of("path", path));
        HttpResponse<String> r = send("list " + path, () -> request(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString(), true);
        List<ArtifactFile> out = new ArrayList<>();
        JsonNode files = parse(r.body(), "list " + path).path("files");
        for (JsonNode f : files) {
            out.add(new ArtifactFile(f.path("path").asText(), f.path("is_dir").asBoolean(),
                    f.has("file_size") ? f.path("file_size").asLong() : -1));
        }
        return out;
    }

    /** A new JSON object for request bodies. */
    public static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    private JsonNode json(String method, String api, Map<String, String> query, Object body, boolean repeatable) {
        URI uri = URI.create(endpoint.uri() + "/api/2.0/mlflow/" + api + queryString(query));
        String what = method + " " + api;
        HttpResponse<String> r = send(what, () -> {
            HttpRequest.Builder b = request(uri).header("Content-Type", "application/json");
            HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(write(body));
            return b.method(method, p).build();
        }, HttpResponse.BodyHandlers.ofString(), repeatable);
        return parse(r.body(), what);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        endpoint.authorization().ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    private interface RequestFactory {
        HttpRequest create() throws IOException;
    }

    private <T> HttpResponse<T> send(String what, RequestFactory factory, HttpResponse.BodyHandler<T> handler,
                                     boolean repeatable) {
        long wait = backoff.toMillis();
        String last = "";
        for (int attempt = 1; ; attempt++) {
            boolean retry;
            try {
                HttpResponse<T> r = http.send(factory.create(), handler);
                if (r.statusCode() / 100 == 2) {
                    return r;
                }
                String body = r.body() instanceof String s ? s : "";
                retry = repeatable && (r.statusCode() >= 500 || r.statusCode() == 429);
                if (!retry || attempt >= attempts) {
                    throw failure(what, r.statusCode(), body, attempt);
                }
                last = "HTTP " + r.statusCode();
            } catch (ConnectException e) {
                // The request never reached the server: repeating it cannot do anything twice.
                last = "connection refused";
                retry = true;
            } catch (HttpTimeoutException e) {
                last = "timed out after " + timeout.toSeconds() + " s";
                retry = repeatable;
                if (!retry) {
                    throw new MlflowException("MLflow at " + endpoint.uri() + ": " + what + " " + last
                            + "; it may or may not have been applied", 0, "", e);
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                retry = repeatable;
                if (!retry) {
                    throw new MlflowException("MLflow at " + endpoint.uri() + ": " + what + " failed: " + last, 0, "", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MlflowException("interrupted during " + what, 0, "", e);
            }
            if (attempt >= attempts) {
                throw new MlflowException("MLflow at " + endpoint.uri() + " is unreachable: " + what + " failed "
                        + attempts + " times (" + last + "). Start it with './foresail mlflow start' or set "
                        + "MLFLOW_TRACKING_URI", 0, "", null);
            }
            LOG.warn("MLflow {}: {} (attempt {} of {}), retrying in {} ms", what, last, attempt, attempts, wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MlflowException("interrupted during " + what, 0, "", e);
            }
            wait *= 2;
        }
    }

    private MlflowException failure(String what, int status, String body, int attempt) {
        String code = "";
        String message = body;
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.has("error_code")) {
                code = n.path("error_code").asText();
                message = n.path("message").asText();
            }
        } catch (IOException e) {
            // Not JSON (a proxy's error page): keep the text.
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "...";
        }
        return new MlflowException("MLflow at " + endpoint.uri() + ": " + what + " failed with HTTP " + status
                + (code.isEmpty() ? "" : " " + code) + ": " + message.strip()
                + (attempt > 1 ? " (after " + attempt + " attempts)" : ""), status, code, null);
    }

    private static JsonNode parse(String body, String what) {
        try {
            return body == null || body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new MlflowException("MLflow answered " + what + " with something that is not JSON: "
                    + body.substring(0, Math.min(200, body.length())), 200, "", e);
        }
    }

    private static String write(Object body) {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode an MLflow request: " + e.getMessage(), e);
        }
    }

    private URI artifactUri(String path, Map<String, String> query) {
        StringJoiner segments = new StringJoiner("/");
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        String p = segments.toString();
        return URI.create(endpoint.uri() + "/api/2.0/mlflow-artifacts/artifacts" + (p.isEmpty() ? "" : "/" + p)
                + queryString(query));
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }
}
