package io.foresail.alpacasim.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.foresail.alpaca.wire.AlpacaAsset;
import io.foresail.alpaca.wire.AlpacaBar;
import io.foresail.alpaca.wire.AlpacaCalendarDay;
import io.foresail.alpaca.wire.AlpacaClock;
import io.foresail.alpaca.wire.AlpacaJson;
import io.foresail.alpaca.wire.AlpacaSide;
import io.foresail.alpaca.wire.BarsPage;
import io.foresail.alpaca.wire.CreateOrder;
import io.foresail.alpaca.wire.ReplaceOrder;
import io.foresail.alpaca.wire.SymbolBarsPage;
import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.market.ReplayMarket;
import io.foresail.alpacasim.paper.ApiException;
import io.foresail.alpacasim.paper.PaperAccount;
import io.foresail.core.market.Bar;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingSession;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST endpoints: Alpaca's Trading API v2 and Market Data API v2 as the simulator serves them,
 * and its own control API under {@code /sim}. Each call maps a request to a {@link Response} or an
 * {@link ApiException} carrying Alpaca's status and error body; nothing here knows about HTTP
 * transport, so every endpoint is a plain method call.
 */
final class Routes {
    private static final Pattern ORDER = Pattern.compile("/v2/orders/([^/]+)");
    private static final Pattern POSITION = Pattern.compile("/v2/positions/([^/]+)");
    private static final Pattern ASSET = Pattern.compile("/v2/assets/([^/]+)");
    private static final Pattern SYMBOL_BARS = Pattern.compile("/v2/stocks/([^/]+)/bars");
    private static final Pattern SYMBOL_LATEST = Pattern.compile("/v2/stocks/([^/]+)/bars/latest");
    private static final Pattern TIMEFRAME = Pattern.compile("(\\d+)(Min|T|Hour|H|Day|D)");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private final Simulator sim;
    private final int barsPerPage;

    Routes(Simulator sim, int barsPerPage) {
        this.sim = sim;
        this.barsPerPage = barsPerPage;
    }

    /** An answer: status and body ({@code null} body: no content). */
    record Response(int status, Object body) {
        static Response ok(Object body) {
            return new Response(200, body);
        }
    }

    /** Whether {@code path} is the simulator's own control API (no auth, no rate limit). */
    static boolean isControl(String path) {
        return path.startsWith("/sim/");
    }

    Response handle(String method, String path, Map<String, List<String>> query, byte[] body) {
        PaperAccount account = sim.account();
        Matcher m;
        switch (path) {
            case "/v2/account":
                return get(method, () -> account.account());
            case "/v2/orders":
                return switch (method) {
                    case "GET" -> Response.ok(account.orders(param(query, "status", "open"), instant(query, "after"),
                            instant(query, "until"), intParam(query, "limit", 50, 1, 500),
                            "asc".equals(param(query, "direction", "desc")), symbols(query, false),
                            side(param(query, "side", null))));
                    case "POST" -> Response.ok(account.submit(read(body, CreateOrder.class)));
                    case "DELETE" -> new Response(207, account.cancelAll());
                    default -> throw notAllowed(method, path);
                };
            case "/v2/orders:by_client_order_id":
                return get(method, () -> account.orderByClientId(required(query, "client_order_id")));
            case "/v2/positions":
                return switch (method) {
                    case "GET" -> Response.ok(account.positions());
                    case "DELETE" -> new Response(207, account.closeAll("true".equals(param(query, "cancel_orders", "false"))));
                    default -> throw notAllowed(method, path);
                };
            case "/v2/clock":
                return get(method, this::clock);
            case "/v2/calendar":
                return get(method, () -> calendar(query));
            case "/v2/assets":
                return get(method, () -> assets(query));
            case "/v2/account/activities/FILL":
            case "/v2/account/activities":
                return get(method, () -> activities(path, query));
            case "/v2/stocks/bars":
                return get(method, () -> bars(symbols(query, true), query));
            case "/v2/stocks/bars/latest":
                return get(method, () -> Map.of("bars", latest(symbols(query, true))));
            default:
                break;
        }
        if ((m = ORDER.matcher(path)).matches()) {
            String id = m.group(1);
            return switch (method) {
                case "GET" -> Response.ok(account.order(id));
                case "PATCH" -> Response.ok(account.replace(id, read(body, ReplaceOrder.class)));
                case "DELETE" -> {
                    account.cancel(id);
                    yield new Response(204, null);
                }
                default -> throw notAllowed(method, path);
            };
        }
        if ((m = POSITION.matcher(path)).matches()) {
            String symbol = m.group(1);
            return switch (method) {
                case "GET" -> Response.ok(account.position(symbol, true));
                case "DELETE" -> Response.ok(account.close(symbol, decimal(query, "qty"), decimal(query, "percentage")));
                default -> throw notAllowed(method, path);
            };
        }
        if ((m = ASSET.matcher(path)).matches()) {
            String symbol = m.group(1);
            return get(method, () -> asset(symbol));
        }
        if ((m = SYMBOL_LATEST.matcher(path)).matches()) {
            String symbol = m.group(1);
            return get(method, () -> {
                Map<String, AlpacaBar> one = latest(List.of(symbol));
                return Map.of("symbol", symbol, "bar", Optional.ofNullable(one.get(symbol))
                        .orElseThrow(() -> ApiException.notFound("no bar for " + symbol + " yet")));
            });
        }
        if ((m = SYMBOL_BARS.matcher(path)).matches()) {
            String symbol = m.group(1);
            return get(method, () -> {
                BarsPage page = bars(List.of(symbol), query);
                return new SymbolBarsPage(page.bars().getOrDefault(symbol, List.of()), symbol, page.nextPageToken());
            });
        }
        throw new ApiException(40410000, "endpoint not found: " + method + " " + path);
    }

    private static Response get(String method, java.util.function.Supplier<Object> body) {
        if (!method.equals("GET")) {
            throw new ApiException(40510000, "method not allowed");
        }
        return Response.ok(body.get());
    }

    private static ApiException notAllowed(String method, String path) {
        return new ApiException(40510000, "method " + method + " not allowed on " + path);
    }

    /** A JSON body as {@code type}: 400 when it is not JSON, 422 naming the field when a field is unknown or mistyped. */
    static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new ApiException(40010000, "request body format is invalid: empty body");
        }
        try {
            T value = AlpacaJson.MAPPER.readValue(body, type);
            if (value == null) {
                throw new ApiException(40010000, "request body format is invalid: null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.unprocessable("unknown field \"" + e.getPropertyName() + "\"");
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw ApiException.unprocessable("invalid value for \"" + field + "\": " + firstLine(e.getOriginalMessage()));
        } catch (StreamReadException e) {
            throw new ApiException(40010000, "request body format is invalid");
        } catch (JsonProcessingException e) {
            throw ApiException.unprocessable("invalid request: " + firstLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new ApiException(40010000, "request body format is invalid");
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private AlpacaClock clock() {
        Instant now = sim.clock().now();
        ReplayMarket market = sim.market();
        Optional<TradingSession> in = market.sessionAt(now);
        TradingSession nextOpen = market.nextSession(now.plusNanos(1)).orElse(null);
        Instant nextClose = in.map(TradingSession::close).orElse(nextOpen == null ? null : nextOpen.close());
        return new AlpacaClock(now.atZone(NEW_YORK).toOffsetDateTime(), in.isPresent(),
                nextOpen == null ? null : nextOpen.open().atZone(NEW_YORK).toOffsetDateTime(),
                nextClose == null ? null : nextClose.atZone(NEW_YORK).toOffsetDateTime());
    }

    private List<AlpacaCalendarDay> calendar(Map<String, List<String>> query) {
        var cal = sim.market().calendar();
        LocalDate today = cal.localDate(sim.clock().now());
        LocalDate from = date(query, "start", today);
        LocalDate to = date(query, "end", today.plusDays(30));
        if (from.isBefore(cal.firstDate())) {
            from = cal.firstDate();
        }
        if (to.isAfter(cal.lastDate())) {
            to = cal.lastDate();
        }
        List<AlpacaCalendarDay> out = new ArrayList<>();
        for (TradingSession s : from.isAfter(to) ? List.<TradingSession>of() : cal.sessions(from, to)) {
            String d = s.date().toString();
            out.add(new AlpacaCalendarDay(d, hhmm(s.open()), hhmm(s.close()), "0400", "2000", d));
        }
        return out;
    }

    private static String hhmm(Instant t) {
        var z = t.atZone(NEW_YORK);
        return String.format(Locale.ROOT, "%02d:%02d", z.getHour(), z.getMinute());
    }

    private List<AlpacaAsset> assets(Map<String, List<String>> query) {
        String status = param(query, "status", "active");
        String assetClass = param(query, "asset_class", "us_equity");
        if (!status.equals("active") || !assetClass.equals("us_equity")) {
            return List.of();
        }
        return sim.market().symbols().stream().map(Routes::assetOf).toList();
    }

    private AlpacaAsset asset(String symbolOrId) {
        for (String s : sim.market().symbols()) {
            if (s.equals(symbolOrId) || PaperAccount.assetId(s).equals(symbolOrId)) {
                return assetOf(s);
            }
        }
        throw ApiException.notFound("asset not found for " + symbolOrId);
    }

    private static AlpacaAsset assetOf(String symbol) {
        return new AlpacaAsset(PaperAccount.assetId(symbol), "us_equity", "NYSE", symbol, symbol + " (simulated)", "active",
                true, true, true, true, true, "easy_to_borrow", 30, List.of());
    }

    private Object activities(String path, Map<String, List<String>> query) {
        if (path.endsWith("/activities")) {
            String types = param(query, "activity_types", "FILL");
            if (!Arrays.asList(types.split(",")).contains("FILL")) {
                return List.of();
            }
        }
        return sim.account().fills(instant(query, "after"), instant(query, "until"),
                "asc".equals(param(query, "direction", "desc")), intParam(query, "page_size", 100, 1, 100));
    }

    // ---- market data --------------------------------------------------------------------------

    /**
     * {@code GET /v2/stocks/bars}: symbols in alphabetical order, each one's bars in time order,
     * at most {@code limit} bars across all symbols per page; the token names the next bar to serve.
     */
    private BarsPage bars(List<String> symbols, Map<String, List<String>> query) {
        Timeframe timeframe = timeframe(required(query, "timeframe"));
        int limit = Math.min(barsPerPage, intParam(query, "limit", 1000, 1, 10_000));
        String adjustment = param(query, "adjustment", "raw");
        if (!List.of("raw", "split", "dividend", "all").contains(adjustment)) {
            throw new ApiException(40010000, "invalid adjustment: " + adjustment);
        }
        String feed = param(query, "feed", "sip");
        if (!List.of("sip", "iex", "otc", "delayed_sip").contains(feed)) {
            throw new ApiException(40010000, "invalid feed: " + feed);
        }
        boolean descending = "desc".equals(param(query, "sort", "asc"));
        Instant now = sim.clock().now();
        Instant start = instantOr(query, "start", now.atZone(NEW_YORK).toLocalDate().atStartOfDay(NEW_YORK).toInstant());
        Instant end = instantOr(query, "end", now);
        List<String> order = ReplayMarket.pagingOrder(symbols);
        int firstSymbol = 0;
        Instant resumeAt = start;
        String token = param(query, "page_token", null);
        if (token != null) {
            String[] parts = decodeToken(token);
            firstSymbol = order.indexOf(parts[0]);
            if (firstSymbol < 0) {
                throw new ApiException(40010000, "invalid page_token");
            }
            resumeAt = Instant.parse(parts[1]);
        }
        Map<String, List<AlpacaBar>> out = new LinkedHashMap<>();
        int served = 0;
        for (int s = firstSymbol; s < order.size(); s++) {
            String symbol = order.get(s);
            List<Bar> all = sim.market().bars(symbol, timeframe, s == firstSymbol ? resumeAt : start, end, now);
            if (descending) {
                all = new ArrayList<>(all);
                java.util.Collections.reverse(all);
            }
            for (int i = 0; i < all.size(); i++) {
                if (served == limit) {
                    return new BarsPage(out, encodeToken(symbol, all.get(i).start()), null);
                }
                Bar b = all.get(i);
                out.computeIfAbsent(symbol, k -> new ArrayList<>()).add(rest(b));
                served++;
            }
        }
        return new BarsPage(out, null, null);
    }

    private Map<String, AlpacaBar> latest(List<String> symbols) {
        Instant now = sim.clock().now();
        Map<String, AlpacaBar> out = new LinkedHashMap<>();
        for (String symbol : ReplayMarket.pagingOrder(symbols)) {
            List<Bar> recent = sim.market().bars(symbol, Timeframe.MIN_1, now.minusSeconds(5 * 86_400), now, now);
            if (!recent.isEmpty()) {
                out.put(symbol, rest(recent.get(recent.size() - 1)));
            }
        }
        return out;
    }

    static AlpacaBar rest(Bar b) {
        return AlpacaBar.rest(b.start(), b.open(), b.high(), b.low(), b.close(), Math.round(b.volume()), b.tradeCount(),
                b.vwap());
    }

    private static String encodeToken(String symbol, Instant at) {
        return Base64.getEncoder().encodeToString((symbol + "|" + at).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeToken(String token) {
        try {
            String[] parts = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
            Instant.parse(parts[1]);
            return parts;
        } catch (RuntimeException e) {
            throw new ApiException(40010000, "invalid page_token");
        }
    }

    static Timeframe timeframe(String text) {
        Matcher m = TIMEFRAME.matcher(text);
        if (!m.matches()) {
            throw new ApiException(40010000, "invalid timeframe: " + text);
        }
        int n = Integer.parseInt(m.group(1));
        String unit = m.group(2);
        try {
            if (unit.equals("Min") || unit.equals("T")) {
                return Timeframe.parse(n + "min");
            }
            if (unit.equals("Hour") || unit.equals("H")) {
                return Timeframe.parse(n + "hour");
            }
            if (n != 1) {
                throw new IllegalArgumentException();
            }
            return Timeframe.DAY_1;
        } catch (RuntimeException e) {
            throw new ApiException(40010000, "invalid timeframe: " + text);
        }
    }

    // ---- parameters -----------------------------------------------------------------------------

    private List<String> symbols(Map<String, List<String>> query, boolean required) {
        String raw = required ? required(query, "symbols") : param(query, "symbols", null);
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : raw.split(",")) {
            String sym = s.trim().toUpperCase(Locale.ROOT);
            if (!sym.isEmpty()) {
                if (required && !sim.market().has(sym)) {
                    throw new ApiException(40010000, "invalid symbol: " + sym);
                }
                out.add(sym);
            }
        }
        return out;
    }

    private static AlpacaSide side(String s) {
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "buy" -> AlpacaSide.BUY;
            case "sell" -> AlpacaSide.SELL;
            default -> throw ApiException.unprocessable("invalid side: " + s);
        };
    }

    static String param(Map<String, List<String>> query, String name, String fallback) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? fallback : v.get(0);
    }

    private static String required(Map<String, List<String>> query, String name) {
        String v = param(query, name, null);
        if (v == null) {
            throw ApiException.unprocessable(name + " is required");
        }
        return v;
    }

    private static int intParam(Map<String, List<String>> query, String name, int fallback, int min, int max) {
        String v = param(query, name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ApiException.unprocessable(name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.unprocessable(name + " must be an integer, got \"" + v + "\"");
        }
    }

    private static BigDecimal decimal(Map<String, List<String>> query, String name) {
        String v = param(query, name, null);
        try {
            return v == null ? null : new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw ApiException.unprocessable(name + " must be a number, got \"" + v + "\"");
        }
    }

    private static Instant instant(Map<String, List<String>> query, String name) {
        return instantOr(query, name, null);
    }

    /** RFC 3339 (any offset) or a date (midnight in New York). */
    private static Instant instantOr(Map<String, List<String>> query, String name, Instant fallback) {
        String v = param(query, name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(v).atStartOfDay(NEW_YORK).toInstant();
            } catch (DateTimeParseException e2) {
                throw ApiException.unprocessable("invalid " + name + ": \"" + v + "\" is neither RFC 3339 nor a date");
            }
        }
    }

    private static LocalDate date(Map<String, List<String>> query, String name, LocalDate fallback) {
        String v = param(query, name, null);
        try {
            return v == null ? fallback : LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
        } catch (DateTimeParseException e) {
            throw new ApiException(40010000, "invalid " + name + ": \"" + v + "\"");
        }
    }

    /** Reads a control request's JSON object (empty body: an empty object). */
    static JsonNode readControl(byte[] body) {
        if (body == null || body.length == 0) {
            return AlpacaJson.MAPPER.createObjectNode();
        }
        try {
            return AlpacaJson.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new ApiException(40010000, "request body format is invalid");
        }
    }
}
