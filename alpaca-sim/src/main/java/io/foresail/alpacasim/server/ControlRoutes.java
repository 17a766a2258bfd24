package io.foresail.alpacasim.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.paper.ApiException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulator's control API under {@code /sim} (loopback tooling, no Alpaca credentials):
 * <pre>
 * GET  /sim/status                      clock, speed, session, symbols, coverage
 * POST /sim/advance {"minutes": N}      step market time (or {"to": "RFC 3339"}) and trade every minute passed
 * POST /sim/speed   {"speed": 60}       market seconds per real second; 0 = stepped
 * POST /sim/halt    {"symbol": "X", "halted": true}
 * POST /sim/reset                       fresh account, empty ledger, clock back at the start
 * GET  /sim/ledger                      every order and fill the simulator produced, and fault counts
 * POST /sim/faults  {"kind": ..., ...}  inject a fault now (io.foresail.alpacasim.fault.FaultSpec)
 * </pre>
 */
final class ControlRoutes {
    private final Simulator sim;
    private final FaultInjector faults;
    private final java.util.function.Supplier<Map<String, Integer>> concurrency;

    /** @param concurrency the most API requests (and order submissions) clients had unanswered at once */
    ControlRoutes(Simulator sim, FaultInjector faults, java.util.function.Supplier<Map<String, Integer>> concurrency) {
        this.sim = sim;
        this.faults = faults;
        this.concurrency = concurrency;
    }

    Routes.Response handle(String method, String path, byte[] body) {
        JsonNode json = Routes.readControl(body);
        return switch (method + " " + path) {
            case "GET /sim/status" -> Routes.Response.ok(status());
            case "GET /sim/ledger" -> Routes.Response.ok(sim.ledger().snapshot());
            case "POST /sim/advance" -> {
                Instant to;
                if (json.hasNonNull("to")) {
                    try {
                        to = java.time.OffsetDateTime.parse(json.get("to").asText()).toInstant();
                    } catch (DateTimeParseException e) {
                        throw ApiException.unprocessable("\"to\" must be RFC 3339, got " + json.get("to"));
                    }
                } else if (json.has("minutes") && json.get("minutes").canConvertToLong() && json.get("minutes").asLong() >= 0) {
                    to = sim.clock().now().plusSeconds(60 * json.get("minutes").asLong());
                } else {
                    throw ApiException.unprocessable("advance takes {\"minutes\": N >= 0} or {\"to\": \"RFC 3339\"}");
                }
                int traded = sim.advanceTo(to);
                Map<String, Object> out = status();
                out.put("minutes_traded", traded);
                yield Routes.Response.ok(out);
            }
            case "POST /sim/speed" -> {
                if (!json.has("speed") || !json.get("speed").isNumber() || json.get("speed").asDouble() < 0) {
                    throw ApiException.unprocessable("speed takes {\"speed\": x >= 0} (0 = stepped)");
                }
                sim.clock().setSpeed(json.get("speed").asDouble());
                yield Routes.Response.ok(status());
            }
            case "POST /sim/halt" -> {
                if (!json.hasNonNull("symbol") || !sim.market().has(json.get("symbol").asText())) {
                    throw ApiException.unprocessable("halt takes {\"symbol\": a symbol of the market, \"halted\": true|false}");
                }
                sim.account().halt(json.get("symbol").asText(), !json.has("halted") || json.get("halted").asBoolean());
                sim.ledger().fault("halted_symbol");
                yield Routes.Response.ok(status());
            }
            case "POST /sim/faults" -> {
                io.foresail.alpacasim.fault.FaultSpec spec;
                try {
                    spec = io.foresail.alpaca.wire.AlpacaJson.MAPPER.treeToValue(json, io.foresail.alpacasim.fault.FaultSpec.class);
                } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                    Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
                    throw ApiException.unprocessable("invalid fault: " + cause.getMessage().split("\n")[0]);
                }
                faults.apply(spec);
                yield Routes.Response.ok(sim.ledger().snapshot().faults());
            }
            case "POST /sim/reset" -> {
                sim.reset();
                yield Routes.Response.ok(status());
            }
            default -> throw new ApiException(40410000, "endpoint not found: " + method + " " + path);
        };
    }

    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        Instant now = sim.clock().now();
        out.put("now", now.toString());
        out.put("speed", sim.clock().speed());
        out.put("market_open", sim.market().sessionAt(now).isPresent());
        out.put("symbols", sim.market().symbols().size());
        out.put("first_bar", sim.market().first().toString());
        out.put("last_bar_end", sim.market().last().toString());
        out.put("equity", sim.account().equity());
        out.putAll(new java.util.TreeMap<>(concurrency.get()));
        return out;
    }
}
