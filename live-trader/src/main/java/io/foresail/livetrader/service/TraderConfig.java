package io.foresail.livetrader.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.config.Yaml;
import io.foresail.core.error.InvalidInputException;
import io.foresail.trading.decision.StrategyConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code config/trader.yaml}: which venue (the simulator by default, Alpaca paper, or live with two
 * explicit confirmations), which registered model and alias, where the state lives, the HTTP
 * port, when a decision reaches the disk, the bar timing, the automatic kill-switch guards, and the decision path's {@code strategy}
 * section (the backtest's). Every field is optional; values out of range are errors naming the
 * field. Holds no secret: keys come from the environment or the key file it names.
 */
public record TraderConfig(@JsonProperty("mode") String mode,
                           @JsonProperty("dry_run") Boolean dryRun,
                           @JsonProperty("live") Live live,
                           @JsonProperty("model") ModelSection model,
                           @JsonProperty("mlflow") Mlflow mlflow,
                           @JsonProperty("alpaca") Alpaca alpaca,
                           @JsonProperty("state_dir") String stateDir,
                           @JsonProperty("decision_on_disk") String decisionOnDisk,
                           @JsonProperty("http") Http http,
                           @JsonProperty("bars") Bars bars,
                           @JsonProperty("guards") Guards guards,
                           @JsonProperty("strategy") StrategyConfig strategy) {
    public static final String DEFAULT_RESOURCE = "foresail/config/trader.yaml";

    /** Where orders go. */
    public enum Mode {
        /** The local Alpaca simulator: no keys, no money. */
        SIM,
        /** Alpaca's paper trading: keys, no money. */
        PAPER,
        /** Alpaca's live trading: real money. */
        LIVE;

        public static Mode parse(String s) {
            return choice(Mode.class, "mode", s);
        }
    }

    /**
     * When a decision's record (its intents' client order ids among it) is forced onto the disk.
     * It is committed, in the operating system's hands, before any of its orders leaves either
     * way, so the trader's own crash loses nothing; the choice is about the machine's crash.
     */
    public enum DecisionOnDisk {
        /**
         * While its orders travel (the default): the disk's flush runs beside the sends and adds
         * nothing to the bar's latency. A machine crash in that moment may lose the record; the
         * next start still finds the orders at the broker (open orders, fill activities), not
         * attributed to a model version.
         */
        WITH_ORDERS,
        /** Before any order leaves: the flush (an fsync: milliseconds, at times hundreds on a shared disk) on every bar's path. */
        BEFORE_ORDERS;

        public static DecisionOnDisk parse(String s) {
            return choice(DecisionOnDisk.class, "decision_on_disk", s);
        }
    }

    /** {@code value} as one of {@code type}'s constants, any case; else an error naming the field and every choice. */
    private static <E extends Enum<E>> E choice(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            throw new InvalidInputException(field + " must be " + String.join(", ", names.subList(0, names.size() - 1))
                    + " or " + names.get(names.size() - 1) + ", got '" + value + "'");
        }
    }

    public TraderConfig {
        mode = mode == null ? "sim" : mode;
        Mode.parse(mode);
        decisionOnDisk = decisionOnDisk == null || decisionOnDisk.isBlank() ? "with_orders" : decisionOnDisk;
        DecisionOnDisk.parse(decisionOnDisk);
        dryRun = dryRun != null && dryRun;
        live = live == null ? new Live(false) : live;
        model = model == null ? new ModelSection(null, null, null, null) : model;
        mlflow = mlflow == null ? new Mlflow(null) : mlflow;
        alpaca = alpaca == null ? new Alpaca(null, null, null, null, null, null, null) : alpaca;
        stateDir = stateDir == null || stateDir.isBlank() ? "work/trader" : stateDir;
        http = http == null ? new Http(null, null) : http;
        bars = bars == null ? new Bars(null, null, null, null, null) : bars;
        guards = guards == null ? new Guards(null, null, null) : guards;
        strategy = strategy == null ? StrategyConfig.defaults() : strategy;
    }

    public Mode venue() {
        return Mode.parse(mode);
    }

    public DecisionOnDisk decisionDurability() {
        return DecisionOnDisk.parse(decisionOnDisk);
    }

    /** Real money is allowed by the file only when this says so (the command line must confirm too). */
    public record Live(@JsonProperty("enabled") Boolean enabled) {
        public Live {
            enabled = enabled != null && enabled;
        }
    }

    /**
     * The served model: {@code name@alias}, checked every {@code pollSeconds}; a stacked
     * ensemble's members predict on the bar's thread and {@code memberThreads} more, side by side
     * (0: one after the other on the bar's thread).
     */
    public record ModelSection(@JsonProperty("name") String name, @JsonProperty("alias") String alias,
                               @JsonProperty("poll_seconds") Double pollSeconds,
                               @JsonProperty("member_threads") Integer memberThreads) {
        /** More lanes than an ensemble's longest member can shorten buy nothing. */
        static final int MAX_MEMBER_THREADS = 8;

        public ModelSection {
            name = name == null || name.isBlank() ? "foresail-ensemble" : name;
            alias = alias == null || alias.isBlank() ? "champion" : alias;
            pollSeconds = pollSeconds == null ? 30.0 : pollSeconds;
            if (!(pollSeconds > 0)) {
                throw new InvalidInputException("model.poll_seconds must be positive, got " + pollSeconds);
            }
            memberThreads = memberThreads == null ? 1 : memberThreads;
            if (memberThreads < 0 || memberThreads > MAX_MEMBER_THREADS) {
                throw new InvalidInputException("model.member_threads must be 0 to " + MAX_MEMBER_THREADS + ", got "
                        + memberThreads);
            }
        }

        public Duration poll() {
            return Duration.ofMillis(Math.round(pollSeconds * 1000));
        }
    }

    /** The MLflow tracking server the registry is read from. */
    public record Mlflow(@JsonProperty("uri") String uri) {
        public Mlflow {
            uri = uri == null || uri.isBlank() ? "http://127.0.0.1:5000" : uri;
        }
    }

    /**
     * Alpaca's URLs (empty: the mode's), the bars' feed, where the keys are, and how many trading
     * API requests a bar may have in flight at once (its orders, cancels and reads).
     */
    public record Alpaca(@JsonProperty("trading_url") String tradingUrl, @JsonProperty("data_url") String dataUrl,
                         @JsonProperty("trade_updates_url") String tradeUpdatesUrl,
                         @JsonProperty("market_data_url") String marketDataUrl, @JsonProperty("feed") String feed,
                         @JsonProperty("key_file") String keyFile,
                         @JsonProperty("requests_in_flight") Integer requestsInFlight) {
        /** Alpaca allows 200 trading API requests a minute; more than this at once buys nothing. */
        static final int MAX_REQUESTS_IN_FLIGHT = 32;

        public Alpaca {
            requestsInFlight = requestsInFlight == null ? 16 : requestsInFlight;
            if (requestsInFlight < 1 || requestsInFlight > MAX_REQUESTS_IN_FLIGHT) {
                throw new InvalidInputException("alpaca.requests_in_flight must be 1 to " + MAX_REQUESTS_IN_FLIGHT
                        + ", got " + requestsInFlight);
            }
            tradingUrl = blankToNull(tradingUrl);
            dataUrl = blankToNull(dataUrl);
            tradeUpdatesUrl = blankToNull(tradeUpdatesUrl);
            marketDataUrl = blankToNull(marketDataUrl);
            keyFile = blankToNull(keyFile);
            feed = feed == null || feed.isBlank() ? "iex" : feed;
            if (!feed.equals("iex") && !feed.equals("sip")) {
                throw new InvalidInputException("alpaca.feed must be iex or sip, got '" + feed + "'");
            }
        }
    }

    /** The local HTTP endpoints (loopback by default; port 0 takes any free one). */
    public record Http(@JsonProperty("host") String host, @JsonProperty("port") Integer port) {
        public Http {
            host = host == null || host.isBlank() ? "127.0.0.1" : host;
            port = port == null ? 8787 : port;
            if (port < 0 || port > 65535) {
                throw new InvalidInputException("http.port must be 0..65535, got " + port);
            }
        }
    }

    /**
     * Bar timing: the grace after a bar's end before it is closed without its last minute; the
     * history kept; how often the ticker looks (overdue bars, guards, the kill file); and the
     * operating system's priority for the bar's threads ({@link BarThreadsPriority}), a nice value
     * or a realtime priority, at most one of the two (neither: the process's own).
     */
    public record Bars(@JsonProperty("grace_seconds") Double graceSeconds, @JsonProperty("history_bars") Integer historyBars,
                       @JsonProperty("tick_millis") Integer tickMillis,
                       @JsonProperty("threads_nice") Integer threadsNice,
                       @JsonProperty("threads_realtime") Integer threadsRealtime) {
        public Bars {
            if (threadsNice != null && threadsRealtime != null) {
                throw new InvalidInputException("bars.threads_nice (" + threadsNice + ") and bars.threads_realtime ("
                        + threadsRealtime + ") are both set: the bar's threads take one priority, set one of them");
            }
            if (threadsNice != null) {
                BarThreadsPriority.nice(threadsNice);
            }
            if (threadsRealtime != null) {
                BarThreadsPriority.realtime(threadsRealtime);
            }
            graceSeconds = graceSeconds == null ? 5.0 : graceSeconds;
            historyBars = historyBars == null ? 3000 : historyBars;
            tickMillis = tickMillis == null ? 1000 : tickMillis;
            if (tickMillis < 10) {
                throw new InvalidInputException("bars.tick_millis must be at least 10, got " + tickMillis);
            }
            if (!(graceSeconds >= 0)) {
                throw new InvalidInputException("bars.grace_seconds must be 0 or more, got " + graceSeconds);
            }
            if (historyBars < 1) {
                throw new InvalidInputException("bars.history_bars must be at least 1, got " + historyBars);
            }
        }

        public Duration grace() {
            return Duration.ofMillis(Math.round(graceSeconds * 1000));
        }

        public Duration tick() {
            return Duration.ofMillis(tickMillis);
        }

        /** The bar's threads' priority, if the configuration sets one. */
        public java.util.Optional<BarThreadsPriority> priority() {
            if (threadsRealtime != null) {
                return java.util.Optional.of(BarThreadsPriority.realtime(threadsRealtime));
            }
            return threadsNice == null ? java.util.Optional.empty() : java.util.Optional.of(BarThreadsPriority.nice(threadsNice));
        }
    }

    /** The automatic kill-switch triggers the trader itself owns (the risk rules have theirs). */
    public record Guards(@JsonProperty("max_consecutive_rejects") Integer maxConsecutiveRejects,
                         @JsonProperty("stale_data_bars") Double staleDataBars,
                         @JsonProperty("reconcile_every_bars") Integer reconcileEveryBars) {
        public Guards {
            maxConsecutiveRejects = maxConsecutiveRejects == null ? 5 : maxConsecutiveRejects;
            staleDataBars = staleDataBars == null ? 2.0 : staleDataBars;
            reconcileEveryBars = reconcileEveryBars == null ? 1 : reconcileEveryBars;
            if (maxConsecutiveRejects < 1) {
                throw new InvalidInputException("guards.max_consecutive_rejects must be at least 1, got " + maxConsecutiveRejects);
            }
            if (!(staleDataBars > 0)) {
                throw new InvalidInputException("guards.stale_data_bars must be positive, got " + staleDataBars);
            }
            if (reconcileEveryBars < 1) {
                throw new InvalidInputException("guards.reconcile_every_bars must be at least 1, got " + reconcileEveryBars);
            }
        }
    }

    public static TraderConfig loadOrDefault(Path file) {
        return file == null ? Yaml.readResource(DEFAULT_RESOURCE, TraderConfig.class) : Yaml.read(file, TraderConfig.class);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
