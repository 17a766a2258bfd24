package io.foresail.pipelines.backtest;

import io.foresail.data.store.ParquetRows;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.decision.Decision;
import io.foresail.trading.orders.OrderIntent;
import io.foresail.trading.risk.RiskEvent;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A backtest's audit trail as Parquet, one file each: {@code decisions.parquet} (per decision and
 * symbol: bar, model version, rebalance, score, constructed and final weight, target shares, and
 * the intent's client order id and signed quantity when one was sent), {@code risk_events.parquet}
 * (bar, rule, scope: a symbol, a sector or null for the book, reason, exposure before and after)
 * and {@code fills.parquet}. Times are UTC
 * microseconds; absent values are nulls.
 */
public final class DecisionFiles {
    static final MessageType DECISIONS = Types.buildMessage()
            .required(PrimitiveTypeName.INT64).as(micros()).named("bar_start")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("model_version")
            .required(PrimitiveTypeName.INT64).named("rebalance")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol")
            .optional(PrimitiveTypeName.DOUBLE).named("score")
            .optional(PrimitiveTypeName.DOUBLE).named("constructed_weight")
            .required(PrimitiveTypeName.DOUBLE).named("target_weight")
            .required(PrimitiveTypeName.DOUBLE).named("target_shares")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("client_order_id")
            .optional(PrimitiveTypeName.DOUBLE).named("order_quantity")
            .named("decision");
    static final MessageType EVENTS = Types.buildMessage()
            .required(PrimitiveTypeName.INT64).as(micros()).named("bar_start")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("rule")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("scope")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("reason")
            .required(PrimitiveTypeName.DOUBLE).named("before")
            .required(PrimitiveTypeName.DOUBLE).named("after")
            .named("risk_event");
    static final MessageType FILLS = Types.buildMessage()
            .required(PrimitiveTypeName.INT64).as(micros()).named("at")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("execution_id")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("order_id")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("client_order_id")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("side")
            .required(PrimitiveTypeName.DOUBLE).named("quantity")
            .required(PrimitiveTypeName.DOUBLE).named("price")
            .required(PrimitiveTypeName.DOUBLE).named("fees")
            .named("fill");

    private record Sent(String clientOrderId, double quantity) {
    }

    private DecisionFiles() {
    }

    private static LogicalTypeAnnotation micros() {
        return LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS);
    }

    /** Writes the three files into {@code dir}. */
    public static void write(Path dir, List<String> symbols, List<Decision> decisions, List<Fill> fills) {
        int n = symbols.size();
        Binary[] names = symbols.stream().map(Binary::fromString).toArray(Binary[]::new);
        // Per decision and symbol: the order sent, as one signed quantity (a zero-crossing's two legs
        // summed) under the last leg's client order id.
        List<Map<String, Sent>> sent = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            Map<String, Sent> bySymbol = new HashMap<>();
            for (OrderIntent in : d.intents()) {
                Sent prev = bySymbol.get(in.symbol());
                bySymbol.put(in.symbol(), new Sent(in.clientOrderId(), (prev == null ? 0 : prev.quantity()) + in.signedQuantity()));
            }
            sent.add(bySymbol);
        }
        ParquetRows.write(dir.resolve("decisions.parquet"), DECISIONS, Map.of("foresail.format", "decisions/1"),
                Math.multiplyExact(decisions.size(), n), (row, out) -> {
                    Decision d = decisions.get(row / n);
                    int i = row % n;
                    ParquetRows.field(out, 0, "bar_start", d.barStart().getEpochSecond() * 1_000_000);
                    ParquetRows.field(out, 1, "model_version", Binary.fromString(d.modelVersion()));
                    ParquetRows.field(out, 2, "rebalance", d.rebalance() ? 1L : 0L);
                    ParquetRows.field(out, 3, "symbol", names[i]);
                    if (!Double.isNaN(d.scores()[i])) {
                        ParquetRows.field(out, 4, "score", d.scores()[i]);
                    }
                    if (d.constructedWeights() != null) {
                        ParquetRows.field(out, 5, "constructed_weight", d.constructedWeights()[i]);
                    }
                    ParquetRows.field(out, 6, "target_weight", d.targetWeights()[i]);
                    ParquetRows.field(out, 7, "target_shares", d.targetShares()[i]);
                    Sent order = sent.get(row / n).get(symbols.get(i));
                    if (order != null) {
                        ParquetRows.field(out, 8, "client_order_id", Binary.fromString(order.clientOrderId()));
                        ParquetRows.field(out, 9, "order_quantity", order.quantity());
                    }
                });
        List<long[]> at = new ArrayList<>();
        List<RiskEvent> events = new ArrayList<>();
        for (Decision d : decisions) {
            for (RiskEvent e : d.riskEvents()) {
                events.add(e);
                at.add(new long[] {d.barStart().getEpochSecond() * 1_000_000});
            }
        }
        ParquetRows.write(dir.resolve("risk_events.parquet"), EVENTS, Map.of("foresail.format", "risk-events/1"),
                events.size(), (row, out) -> {
                    RiskEvent e = events.get(row);
                    ParquetRows.field(out, 0, "bar_start", at.get(row)[0]);
                    ParquetRows.field(out, 1, "rule", Binary.fromString(e.rule()));
                    if (e.scope() != null) {
                        ParquetRows.field(out, 2, "scope", Binary.fromString(e.scope()));
                    }
                    ParquetRows.field(out, 3, "reason", Binary.fromString(e.reason()));
                    ParquetRows.field(out, 4, "before", e.before());
                    ParquetRows.field(out, 5, "after", e.after());
                });
        ParquetRows.write(dir.resolve("fills.parquet"), FILLS, Map.of("foresail.format", "fills/1"), fills.size(),
                (row, out) -> {
                    Fill f = fills.get(row);
                    ParquetRows.field(out, 0, "at", f.at().getEpochSecond() * 1_000_000 + f.at().getNano() / 1000);
                    ParquetRows.field(out, 1, "execution_id", Binary.fromString(f.executionId()));
                    ParquetRows.field(out, 2, "order_id", Binary.fromString(f.orderId()));
                    ParquetRows.field(out, 3, "client_order_id", Binary.fromString(f.clientOrderId()));
                    ParquetRows.field(out, 4, "symbol", Binary.fromString(f.symbol()));
                    ParquetRows.field(out, 5, "side", Binary.fromString(f.side().name()));
                    ParquetRows.field(out, 6, "quantity", f.quantity());
                    ParquetRows.field(out, 7, "price", f.price());
                    ParquetRows.field(out, 8, "fees", f.fees());
                });
    }
}
