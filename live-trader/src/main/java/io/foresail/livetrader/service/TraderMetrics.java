package io.foresail.livetrader.service;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The trader's metrics, in its own Prometheus registry (the official Java client), written in the
 * Prometheus text format on {@code /metrics}. Names start {@code foresail_trader_}; times are in
 * seconds, money in dollars, exposure and drawdown as fractions of equity. Counters kept elsewhere
 * (the bar intake's, the broker's, inference's) are read on each scrape, not copied. Thread-safe.
 */
public final class TraderMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    final Histogram decisionLatency = Histogram.builder().name("foresail_trader_decision_latency_seconds")
            .help("Bar close (the bar handed over) to every order of its decision submitted")
            .classicOnly().classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
            .register(registry);
    final Histogram decisionCompute = Histogram.builder().name("foresail_trader_decision_compute_seconds")
            .help("The decision latency less the time spent waiting on the broker (network round trips)")
            .classicOnly().classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
            .register(registry);
    final Histogram decisionOnDisk = Histogram.builder().name("foresail_trader_decision_on_disk_seconds")
            .help("A decision's commit to its record forced onto the disk (beside or before its orders: decision_on_disk)")
            .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 10)
            .register(registry);
    final Gauge barLag = Gauge.builder().name("foresail_trader_bar_lag_seconds")
            .help("Venue time between the end of the last bar and its decision").register(registry);
    final Gauge lastBar = Gauge.builder().name("foresail_trader_last_bar_timestamp_seconds")
            .help("Start of the last bar decided (Unix seconds)").register(registry);
    final Counter orders = Counter.builder().name("foresail_trader_orders_total")
            .help("Order events by status (submitted by the trader, then as the broker reports them)")
            .labelNames("status").register(registry);
    final Counter rejects = Counter.builder().name("foresail_trader_rejects_total")
            .help("Orders the broker refused").register(registry);
    final Counter fills = Counter.builder().name("foresail_trader_fills_total")
            .help("Executions recorded (each once)").register(registry);
    final Counter bars = Counter.builder().name("foresail_trader_bars_total")
            .help("Bars handed to the decision path, by outcome").labelNames("outcome").register(registry);
    final Gauge equity = Gauge.builder().name("foresail_trader_equity_dollars")
            .help("Account equity, as the trader's book counts it at the last bar's closes").register(registry);
    final Gauge cashRebase = Gauge.builder().name("foresail_trader_cash_rebase_dollars")
            .help("The last change when the book's cash was set to the broker's: what no fill carried (fees, borrow, "
                    + "dividends)").register(registry);
    final Gauge pnl = Gauge.builder().name("foresail_trader_session_pnl_dollars")
            .help("Equity now less equity at the first bar of the session").register(registry);
    final Gauge grossExposure = Gauge.builder().name("foresail_trader_gross_exposure_ratio")
            .help("Sum of absolute position values over equity").register(registry);
    final Gauge netExposure = Gauge.builder().name("foresail_trader_net_exposure_ratio")
            .help("Sum of signed position values over equity").register(registry);
    final Gauge drawdown = Gauge.builder().name("foresail_trader_drawdown_ratio")
            .help("Equity below its peak, as a fraction of the peak").register(registry);
    final Gauge killSwitch = Gauge.builder().name("foresail_trader_kill_switch_engaged")
            .help("1 while the kill switch is engaged (by mode)").labelNames("mode").register(registry);
    final Gauge modelInfo = Gauge.builder().name("foresail_trader_model_info")
            .help("1 for the model version serving").labelNames("name", "version", "run_id").register(registry);
    final Counter killEvents = Counter.builder().name("foresail_trader_kill_switch_events_total")
            .help("Kill-switch engagements and releases, by trigger").labelNames("trigger").register(registry);
    final Counter reconciliations = Counter.builder().name("foresail_trader_reconciliations_total")
            .help("Position reconciliations with the broker, by outcome").labelNames("outcome").register(registry);

    /** Registers a counter read from elsewhere on each scrape. */
    void counter(String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    /** Registers counters read from a map of named counts on each scrape, one label value per key. */
    void counters(String name, String help, String label, Supplier<Map<String, Long>> values) {
        CounterWithCallback.builder().name(name).help(help).labelNames(label)
                .callback(cb -> values.get().forEach((k, v) -> cb.call(v, k))).register(registry);
    }

    void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
