package io.foresail.livetrader.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Json;
import io.foresail.inference.ChampionWatcher;
import io.foresail.trading.risk.KillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The trader's local HTTP endpoints (loopback by default; the JDK's server):
 * <pre>
 * GET  /health   200 while the process runs its bar loop
 * GET  /ready    200 when the model is loaded, positions reconciled, data fresh, both streams up; else 503 and why
 * GET  /status   JSON: mode, model version, positions, equity and P&amp;L, last bar, kill switch, risk, counters
 * GET  /metrics  Prometheus text format
 * GET  /latencies?last=N   JSON: the last N bars' latencies (default 1000), each with when it ended
 * POST /kill?mode=halt|flatten&amp;reason=...&amp;by=...     engage the kill switch
 * POST /resume?reason=...&amp;by=...                       release it (a reason is required)
 * POST /reload                                         check the champion alias now
 * </pre>
 * Closed by the trader.
 */
public final class TraderHttp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TraderHttp.class);

    private final HttpServer server;

    private TraderHttp(HttpServer server) {
        this.server = server;
    }

    static TraderHttp start(Trader trader, String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "trader-http");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/health", ex -> handle(ex, "GET", () -> trader.alive()
                    ? json(200, Map.of("status", "alive")) : json(503, Map.of("status", "stopping"))));
            server.createContext("/ready", ex -> handle(ex, "GET", () -> {
                List<String> why = trader.notReady();
                return json(why.isEmpty() ? 200 : 503, Map.of("ready", why.isEmpty(), "not_ready", why));
            }));
            server.createContext("/status", ex -> handle(ex, "GET", () -> json(200, trader.status())));
            server.createContext("/latencies", ex -> handle(ex, "GET", () -> {
                String last = query(ex.getRequestURI()).getOrDefault("last", "1000");
                int n;
                try {
                    n = Integer.parseInt(last);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("last must be a whole number of bars, got '" + last + "'");
                }
                return json(200, Map.of("bars", trader.recentBars(n)));
            }));
            server.createContext("/metrics", ex -> handle(ex, "GET", () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                trader.metrics().write(out);
                return new Reply(200, trader.metrics().contentType(), out.toByteArray());
            }));
            server.createContext("/kill", ex -> handle(ex, "POST", () -> {
                Map<String, String> q = query(ex.getRequestURI());
                String mode = q.getOrDefault("mode", "halt");
                KillSwitch.Mode m = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
                    case "halt" -> KillSwitch.Mode.HALT;
                    case "flatten" -> KillSwitch.Mode.FLATTEN;
                    default -> throw new InvalidInputException("mode must be halt or flatten, got '" + mode + "'");
                };
                trader.kill(m, q.getOrDefault("by", "http"), q.getOrDefault("reason", "POST /kill"));
                return json(200, Map.of("kill_switch", m.name()));
            }));
            server.createContext("/resume", ex -> handle(ex, "POST", () -> {
                Map<String, String> q = query(ex.getRequestURI());
                trader.resume(q.getOrDefault("by", "http"), q.get("reason"));
                return json(200, Map.of("kill_switch", "OFF"));
            }));
            server.createContext("/reload", ex -> handle(ex, "POST", () -> {
                ChampionWatcher.Check c = trader.reload();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("outcome", c.outcome().name());
                out.put("version", c.version());
                out.put("reason", c.reason());
                return json(200, out);
            }));
            server.start();
            return new TraderHttp(server);
        } catch (IOException e) {
            throw new InvalidInputException("the trader's HTTP endpoints cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "); set http.port (0 takes any free port)");
        }
    }

    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    private record Reply(int status, String contentType, byte[] body) {
    }

    private interface Handler {
        Reply run() throws IOException;
    }

    private static void handle(HttpExchange ex, String method, Handler h) throws IOException {
        Reply reply;
        try {
            if (!ex.getRequestMethod().equals(method)) {
                reply = json(405, Map.of("error", ex.getRequestURI().getPath() + " takes " + method));
            } else {
                reply = h.run();
            }
        } catch (InvalidInputException e) {
            reply = json(400, Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("http {} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.getMessage(), e);
            reply = json(500, Map.of("error", String.valueOf(e.getMessage())));
        }
        ex.getResponseHeaders().set("Content-Type", reply.contentType());
        ex.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply.body());
        }
    }

    private static Reply json(int status, Object body) throws IOException {
        return new Reply(status, "application/json", Json.MAPPER.writeValueAsBytes(body));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = uri.getRawQuery();
        if (q == null) {
            return out;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(1);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
