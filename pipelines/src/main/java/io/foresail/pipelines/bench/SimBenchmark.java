package io.foresail.pipelines.bench;

import io.foresail.alpacasim.app.SimMain;
import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.market.ReplayMarket;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.market.TradingSession;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code foresail bench sim}: the Alpaca simulator's figures on loopback. Order submissions/s
 * (limit orders that rest, from several HTTP/1.1 keep-alive clients at once), the latency from a
 * minute's end to its bars reaching a market data client subscribed to every symbol (p50/p99),
 * and the replay speed a whole trading day reaches (market seconds per real second) with that
 * client connected.
 */
public final class SimBenchmark {
    private final Path bars;
    private final int orders;
    private final int clients;

    public SimBenchmark(Path bars, int orders, int clients) {
        this.bars = bars;
        this.orders = orders;
        this.clients = clients;
    }

    public void run(PrintWriter o) throws Exception {
        ReplayMarket market = SimMain.market(bars, 42);
        TradingSession day = market.nextSession(market.first().plusSeconds(86_400 * 30)).orElseThrow();
        o.printf(Locale.ROOT, "sim bench: %d symbols from %s, %d cores%n", market.symbols().size(), bars,
                Runtime.getRuntime().availableProcessors());
        SimServerConfig config = SimServerConfig.defaults().withRequestsPerMinute(Integer.MAX_VALUE);
        Simulator sim = new Simulator(market, ExecutionConfig.defaults(), day.open(), 0);
        try (SimServer server = SimServer.start(sim, config)) {
            sim.advanceTo(day.open().plusSeconds(60));
            submissions(o, server, market);
            fanOutAndReplay(o, server, sim, day);
        }
        o.flush();
    }

    private void submissions(PrintWriter o, SimServer server, ReplayMarket market) throws Exception {
        URI uri = server.baseUri().resolve("/v2/orders");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            // A first quarter warms the JIT up; the rest is measured.
            int warmup = orders / 4;
            submit(pool, uri, market.symbols(), "warm-", warmup);
            long t0 = System.nanoTime();
            int refused = submit(pool, uri, market.symbols(), "bench-", orders - warmup);
            double secs = (System.nanoTime() - t0) / 1e9;
            o.printf(Locale.ROOT, "order submissions: %,d in %.2f s = %,.0f orders/s (%d keep-alive connections, after %,d "
                    + "to warm up; %d refused)%n", orders - warmup, secs, (orders - warmup) / secs, clients, warmup, refused);
        } finally {
            pool.shutdown();
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        http.send(HttpRequest.newBuilder(uri).header("APCA-API-KEY-ID", SimServerConfig.DEFAULT_KEY_ID)
                .header("APCA-API-SECRET-KEY", SimServerConfig.DEFAULT_SECRET).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Submits {@code count} resting limit orders over {@link #clients} connections; returns how many
     * were refused. Each client is a plain keep-alive socket writing one request and reading its
     * answer, as a load generator (wrk, ab) does: the JDK's HttpClient costs more per request than
     * the server does.
     */
    private int submit(ExecutorService pool, URI uri, List<String> symbols, String prefix, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Runnable worker = () -> {
            try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
                socket.setTcpNoDelay(true);
                java.io.OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream());
                java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    String body = "{\"symbol\":\"" + symbols.get(i % symbols.size()) + "\",\"qty\":\"1\",\"side\":\"buy\","
                            + "\"type\":\"limit\",\"limit_price\":\"0.01\",\"time_in_force\":\"gtc\",\"client_order_id\":\""
                            + prefix + i + "\"}";
                    byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    String head = "POST /v2/orders HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                            + "\r\nAPCA-API-KEY-ID: " + SimServerConfig.DEFAULT_KEY_ID + "\r\nAPCA-API-SECRET-KEY: "
                            + SimServerConfig.DEFAULT_SECRET + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + b.length + "\r\n\r\n";
                    out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.write(b);
                    out.flush();
                    if (readResponse(in) != 200) {
                        failed.incrementAndGet();
                    }
                }
            } catch (java.io.IOException e) {
                failed.incrementAndGet();
            }
        };
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(worker));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        return failed.get();
    }

    /** Reads one HTTP/1.1 response (headers, then Content-Length bytes) and returns its status. */
    private static int readResponse(java.io.InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        int length = 0;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String l = line.toString().trim();
                line.setLength(0);
                if (l.isEmpty()) {
                    break;
                }
                if (status < 0) {
                    status = Integer.parseInt(l.split(" ")[1]);
                } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(l.substring(15).trim());
                }
            } else {
                line.append((char) c);
            }
        }
        in.readNBytes(length);
        return status;
    }

    private void fanOutAndReplay(PrintWriter o, SimServer server, Simulator sim, TradingSession day) throws Exception {
        LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.baseUri().toString().replace("http://", "ws://") + "/v2/sip"),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    if (text.indexOf("\"T\":\"b\"") >= 0) {
                                        arrivals.add(System.nanoTime());
                                    }
                                    text.setLength(0);
                                }
                                w.request(1);
                                return null;
                            }
                        }).join();
        ws.sendText("{\"action\":\"auth\",\"key\":\"" + SimServerConfig.DEFAULT_KEY_ID + "\",\"secret\":\""
                + SimServerConfig.DEFAULT_SECRET + "\"}", true).join();
        ws.sendText("{\"action\":\"subscribe\",\"bars\":[\"*\"]}", true).join();
        Thread.sleep(500);
        // Fan-out: one minute at a time, from the minute's end to the client holding its bars.
        Instant t = sim.clock().now();
        List<Long> latencies = new ArrayList<>();
        while (t.plusSeconds(60).isBefore(day.close())) {
            t = t.plusSeconds(60);
            long sent = System.nanoTime();
            sim.advanceTo(t);
            Long got = arrivals.poll(5, TimeUnit.SECONDS);
            if (got != null) {
                latencies.add(got - sent);
            }
        }
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        o.printf(Locale.ROOT, "minute-bar fan-out (%d symbols, end of minute -> client): p50 %.2f ms, p99 %.2f ms over %d minutes%n",
                sim.market().symbols().size(), l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6, l.length);
        // Replay speed: the next whole session in one step, the client still subscribed.
        TradingSession next = sim.market().nextSession(day.close()).orElseThrow();
        arrivals.clear();
        long t0 = System.nanoTime();
        int minutes = sim.advanceTo(next.close());
        double secs = (System.nanoTime() - t0) / 1e9;
        double marketSeconds = Duration.between(next.open(), next.close()).getSeconds();
        o.printf(Locale.ROOT, "replay: a whole session (%d minutes, %d symbols) in %.3f s = x%,.0f real time%n", minutes,
                sim.market().symbols().size(), secs, marketSeconds / secs);
        ws.abort();
    }
}
