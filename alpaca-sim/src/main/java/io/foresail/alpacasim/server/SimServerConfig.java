package io.foresail.alpacasim.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulator's server listens and whom it lets in.
 *
 * @param host               interface to bind (default loopback)
 * @param port               TCP port; 0 picks a free one
 * @param keyId              the API key id clients must send ({@code APCA-API-KEY-ID})
 * @param secretKey          the secret they must send ({@code APCA-API-SECRET-KEY}); never logged
 * @param requestsPerMinute  Alpaca's rate limit per key (200); past it requests get 429
 * @param barsPerPage        the most bars one page of the bars API holds, whatever the
 *                           {@code limit} (Alpaca: 10,000; lower it to make clients page)
 * @param latency            a network round trip: each API request is executed on arrival and
 *                           answered this much later (zero: at once), so clients can be measured
 *                           and tested as against a venue across a network
 */
public record SimServerConfig(String host, int port, String keyId, String secretKey, int requestsPerMinute,
                              int barsPerPage, Duration latency) {
    public static final String DEFAULT_KEY_ID = "FORESAIL-SIM-KEY";
    public static final String DEFAULT_SECRET = "foresail-sim-secret";

    public SimServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(secretKey, "secretKey");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (barsPerPage < 1 || barsPerPage > 10_000) {
            throw new IllegalArgumentException("bars per page must be 1..10000, got " + barsPerPage);
        }
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative() || latency.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("latency must be 0 to 60 s, got " + latency);
        }
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requests per minute must be at least 1, got " + requestsPerMinute);
        }
    }

    public static SimServerConfig defaults() {
        return new SimServerConfig("127.0.0.1", 0, DEFAULT_KEY_ID, DEFAULT_SECRET, 200, 10_000, Duration.ZERO);
    }

    public SimServerConfig withPort(int p) {
        return new SimServerConfig(host, p, keyId, secretKey, requestsPerMinute, barsPerPage, latency);
    }

    public SimServerConfig withRequestsPerMinute(int n) {
        return new SimServerConfig(host, port, keyId, secretKey, n, barsPerPage, latency);
    }

    public SimServerConfig withCredentials(String key, String secret) {
        return new SimServerConfig(host, port, key, secret, requestsPerMinute, barsPerPage, latency);
    }

    public SimServerConfig withBarsPerPage(int n) {
        return new SimServerConfig(host, port, keyId, secretKey, requestsPerMinute, n, latency);
    }

    public SimServerConfig withLatency(Duration d) {
        return new SimServerConfig(host, port, keyId, secretKey, requestsPerMinute, barsPerPage, d);
    }

    @Override
    public String toString() {
        return "SimServerConfig[host=" + host + ", port=" + port + ", keyId=" + keyId + ", secretKey=***, requestsPerMinute="
                + requestsPerMinute + ", barsPerPage=" + barsPerPage + ", latency=" + latency + "]";
    }
}
