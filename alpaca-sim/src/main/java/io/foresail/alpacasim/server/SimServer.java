package io.foresail.alpacasim.server;

import io.foresail.alpaca.wire.AlpacaError;
import io.foresail.alpaca.wire.AlpacaJson;
import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.fault.FaultPlan;
import io.foresail.alpacasim.fault.Faults;
import io.foresail.alpacasim.paper.ApiException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's server on one port: Alpaca's Trading API ({@code /v2/...}), Market Data API
 * ({@code /v2/stocks/...}), the trade updates stream ({@code /stream}), the market data stream
 * ({@code /v2/iex}, {@code /v2/sip}) and the control API ({@code /sim/...}). Point a client's
 * trading, data and stream URLs at {@link #baseUri()} (streams: {@code ws://}).
 *
 * <p>While the clock runs, a ticker trades every minute as it passes. The caller closes the
 * server ({@link #close}), which stops the ticker and the event loops.
 */
public final class SimServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimServer.class);

    private final Simulator sim;
    private final SimServerConfig config;
    private final Routes routes;
    private final ControlRoutes control;
    private final RateLimit rateLimit;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService ticker;
    private final Channel channel;
    final Set<MarketDataSession> marketDataSessions = ConcurrentHashMap.newKeySet();
    final Set<TradeUpdatesSession> tradeSessions = ConcurrentHashMap.newKeySet();
    final FaultInjector faults;
    /** API requests received and not yet answered: what a client had in flight at once, seen from here. */
    private final InFlight requests = new InFlight();
    /** The same, of order submissions only ({@code POST /v2/orders}). */
    private final InFlight submissions = new InFlight();

    private SimServer(Simulator sim, SimServerConfig config, FaultPlan plan) throws InterruptedException {
        this.sim = sim;
        this.config = config;
        this.routes = new Routes(sim, config.barsPerPage());
        this.rateLimit = new RateLimit(config.requestsPerMinute());
        this.faults = new FaultInjector(this, plan);
        this.control = new ControlRoutes(sim, faults, () -> Map.of(
                "api_requests_in_flight_max", requests.max(), "order_submissions_in_flight_max", submissions.max()));
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        sim.onMinute(bars -> {
            marketDataSessions.forEach(s -> s.publish(bars));
            faults.flush();
            faults.fireDue(sim.clock().now());
        });
        sim.onTradeUpdate(faults::dispatch);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new HttpHandler());
                    }
                });
        this.channel = b.bind(config.host(), config.port()).sync().channel();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alpaca-sim-clock");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, 5, 5, TimeUnit.MILLISECONDS);
        LOG.info("Alpaca simulator listening on {} ({} symbols, clock at {}, speed {})", baseUri(),
                sim.market().symbols().size(), sim.clock().now(), sim.clock().speed());
    }

    /** Starts a server for {@code sim}, without scheduled faults (the control API can still inject them). */
    public static SimServer start(Simulator sim, SimServerConfig config) {
        return start(sim, config, FaultPlan.none());
    }

    /** Starts a server for {@code sim} that fires {@code plan}'s faults as market time reaches them. */
    public static SimServer start(Simulator sim, SimServerConfig config, FaultPlan plan) {
        try {
            return new SimServer(sim, config, plan);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the simulator's port", e);
        }
    }

    private void tick() {
        try {
            if (sim.clock().speed() > 0) {
                sim.catchUp();
            }
        } catch (RuntimeException e) {
            LOG.error("simulator clock tick failed", e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** {@code http://host:port}: the trading and data base URL (streams: the same with {@code ws://}). */
    public URI baseUri() {
        return URI.create("http://" + config.host() + ":" + port());
    }

    public Simulator simulator() {
        return sim;
    }

    SimServerConfig config() {
        return config;
    }

    Faults faultState() {
        return faults.faults();
    }

    void exhaustRateLimit() {
        rateLimit.exhaust(System.currentTimeMillis());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Requests received and not yet answered, and the most there were at once. Thread-safe. */
    private static final class InFlight {
        private final java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger max = new java.util.concurrent.atomic.AtomicInteger();

        void begin() {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void end() {
            now.decrementAndGet();
        }

        int max() {
            return max.get();
        }
    }

    /** The HTTP side: upgrades to the streams, the control API, and Alpaca's REST endpoints behind auth and the rate limit. */
    private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            if ("websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
                upgrade(ctx, req, path);
                return;
            }
            String method = req.method().name();
            byte[] body = ByteBufUtil.getBytes(req.content());
            Map<String, List<String>> query = uri.parameters();
            RateLimit.Decision limit = null;
            Routes.Response response;
            boolean api = false;
            boolean submission = false;
            try {
                if (Routes.isControl(path)) {
                    response = control.handle(method, path, body);
                } else {
                    requests.begin();
                    submission = method.equals("POST") && path.equals("/v2/orders");
                    if (submission) {
                        submissions.begin();
                    }
                    api = true;
                    authenticate(req);
                    limit = rateLimit.take(System.currentTimeMillis());
                    if (!limit.allowed()) {
                        sim.ledger().fault("rate_limited_429");
                        throw new ApiException(42910000, "rate limit exceeded");
                    }
                    int failure = faults.faults().takeFailure();
                    if (failure != 0) {
                        sim.ledger().fault("http_5xx");
                        throw new ApiException(failure * 100_000 + 10_000, "internal server error");
                    }
                    response = routes.handle(method, path, query, body);
                    if (submission && faults.faults().takeLostResponse()) {
                        // Executed, but the client never hears: the connection dies before the answer.
                        sim.ledger().fault("lost_response");
                        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                        ctx.close();
                        answered(true);
                        return;
                    }
                }
            } catch (ApiException e) {
                response = new Routes.Response(e.status(), e.error());
            } catch (RuntimeException e) {
                LOG.error("simulator: {} {} failed", method, path, e);
                response = new Routes.Response(500, new AlpacaError(50010000, "internal server error"));
            }
            if (!api) {
                write(ctx, req, response, limit);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Routes.Response answer = response;
            RateLimit.Decision decision = limit;
            boolean counted = submission;
            Runnable reply = () -> {
                answered(counted);
                write(ctx, keepAlive, answer, decision);
            };
            if (config.latency().isZero()) {
                reply.run();
            } else {
                ctx.executor().schedule(reply, config.latency().toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        /** An API request leaves the in-flight counts: answered, or its connection dropped. */
        private void answered(boolean submission) {
            requests.end();
            if (submission) {
                submissions.end();
            }
        }

        private void authenticate(FullHttpRequest req) {
            String key = req.headers().get("APCA-API-KEY-ID");
            String secret = req.headers().get("APCA-API-SECRET-KEY");
            if (key == null || secret == null) {
                throw new ApiException(40110000, "request is not authorized");
            }
            if (!key.equals(config.keyId()) || !java.security.MessageDigest.isEqual(secret.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), config.secretKey().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                throw new ApiException(40310000, "forbidden");
            }
        }

        private void write(ChannelHandlerContext ctx, FullHttpRequest req, Routes.Response r, RateLimit.Decision limit) {
            write(ctx, HttpUtil.isKeepAlive(req), r, limit);
        }

        private void write(ChannelHandlerContext ctx, boolean keepAlive, Routes.Response r, RateLimit.Decision limit) {
            byte[] bytes = r.body() == null ? new byte[0] : AlpacaJson.writeBytes(r.body());
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                    Unpooled.wrappedBuffer(bytes));
            if (r.body() != null) {
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
            }
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (limit != null) {
                res.headers().set("X-RateLimit-Limit", limit.limit());
                res.headers().set("X-RateLimit-Remaining", limit.remaining());
                res.headers().set("X-RateLimit-Reset", limit.resetEpochSeconds());
            }
            if (keepAlive) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(res);
            } else {
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
            boolean trade = path.equals("/stream");
            boolean data = path.equals("/v2/iex") || path.equals("/v2/sip") || path.equals("/v2/test");
            if (!trade && !data) {
                write(ctx, req, new Routes.Response(404, new AlpacaError(40410000, "no stream at " + path)), null);
                return;
            }
            String url = "ws://" + req.headers().get(HttpHeaderNames.HOST) + path;
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, true, 1 << 20)
                    .newHandshaker(req);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            Channel ch = ctx.channel();
            ch.pipeline().remove(this);
            ch.pipeline().addLast(new WebSocketFrameAggregator(1 << 20));
            if (trade) {
                ch.pipeline().addLast(new TradeUpdatesSession(SimServer.this, handshaker));
            } else {
                boolean msgpack = String.valueOf(req.headers().get(HttpHeaderNames.CONTENT_TYPE)).contains("msgpack");
                ch.pipeline().addLast(new MarketDataSession(SimServer.this, handshaker, msgpack));
            }
            handshaker.handshake(ch, req).addListener(f -> {
                if (f.isSuccess()) {
                    ch.pipeline().fireUserEventTriggered(StreamSession.HANDSHAKE_DONE);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("simulator connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
