package io.foresail.inference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A forwarding proxy in front of the real MLflow test server, with faults on demand: pass
 * everything, answer everything with 503 (the server is down), or hold artifact downloads far past
 * any client timeout (a stalled download). Closing stops it.
 */
final class FlakyMlflow implements AutoCloseable {
    enum Mode { PASS, DOWN, STALL_DOWNLOADS }

    private static final List<String> HOP_BY_HOP = List.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "expect");
    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Mode mode = Mode.PASS;

    FlakyMlflow(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "flaky-mlflow");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void mode(Mode m) {
        mode = m;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Mode m = mode;
            if (m == Mode.DOWN) {
                reply(ex, 503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"down for the test\"}".getBytes());
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            if (m == Mode.STALL_DOWNLOADS && ex.getRequestMethod().equals("GET") && path.contains("/mlflow-artifacts/artifacts/")) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            String query = ex.getRequestURI().getRawQuery();
            HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(path + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofSeconds(60));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            byte[] body = ex.getRequestBody().readAllBytes();
            b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((k, vs) -> {
                if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
                    ex.getResponseHeaders().put(k, vs);
                }
            });
            reply(ex, r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
