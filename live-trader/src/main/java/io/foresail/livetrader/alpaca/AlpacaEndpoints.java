package io.foresail.livetrader.alpaca;

import java.net.URI;
import java.util.Objects;

/**
 * Where Alpaca is: the Trading API base (the client appends {@code /v2/...}), the Market Data API
 * base, and the two streams' full URLs. Paper and live are Alpaca's; {@link #at} points all four at
 * one server, the simulator.
 */
public record AlpacaEndpoints(URI trading, URI data, URI tradeUpdates, URI marketData) {
    public AlpacaEndpoints {
        Objects.requireNonNull(trading, "trading");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(tradeUpdates, "tradeUpdates");
        Objects.requireNonNull(marketData, "marketData");
    }

    /** Alpaca's paper trading endpoints (IEX data). */
    public static AlpacaEndpoints paper() {
        return new AlpacaEndpoints(URI.create("https://paper-api.alpaca.markets"), URI.create("https://data.alpaca.markets"),
                URI.create("wss://paper-api.alpaca.markets/stream"), URI.create("wss://stream.data.alpaca.markets/v2/iex"));
    }

    /** Alpaca's live trading endpoints: real money (SIP data). */
    public static AlpacaEndpoints live() {
        return new AlpacaEndpoints(URI.create("https://api.alpaca.markets"), URI.create("https://data.alpaca.markets"),
                URI.create("wss://api.alpaca.markets/stream"), URI.create("wss://stream.data.alpaca.markets/v2/sip"));
    }

    /** Everything at one server ({@code http://host:port}): the simulator. */
    public static AlpacaEndpoints at(URI base) {
        String ws = base.toString().replaceFirst("^http", "ws");
        return new AlpacaEndpoints(base, base, URI.create(ws + "/stream"), URI.create(ws + "/v2/iex"));
    }
}
