package io.foresail.data.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.config.Yaml;
import io.foresail.core.error.InvalidInputException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a vendor's bar file maps onto Foresail's bar columns. Either one {@code timestamp} column or
 * a {@code date} plus a {@code time} column. {@code timestampFormat} is {@code iso} (ISO-8601; without
 * an offset the time is local to {@code zone}), {@code epoch_s|epoch_ms|epoch_us|epoch_ns}, or a
 * {@link java.time.format.DateTimeFormatter} pattern read in {@code zone}. {@code symbol} null means
 * the symbol comes from the command line or the file name ({@code AAPL.csv}, {@code AAPL_15min.csv}).
 * {@code vwap} and {@code tradeCount} are optional. Load a custom mapping from YAML with
 * {@link #load}, or start from a {@link Preset}.
 */
public record ColumnMapping(
        @JsonProperty("symbol") String symbol,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("date") String date,
        @JsonProperty("time") String time,
        @JsonProperty("timestamp_format") String timestampFormat,
        @JsonProperty("zone") String zone,
        @JsonProperty("label") BarLabel label,
        @JsonProperty("open") String open,
        @JsonProperty("high") String high,
        @JsonProperty("low") String low,
        @JsonProperty("close") String close,
        @JsonProperty("volume") String volume,
        @JsonProperty("vwap") String vwap,
        @JsonProperty("trade_count") String tradeCount,
        @JsonProperty("delimiter") Character delimiter) {

    public ColumnMapping {
        timestampFormat = timestampFormat == null ? "iso" : timestampFormat;
        zone = zone == null ? "UTC" : zone;
        label = label == null ? BarLabel.START : label;
        delimiter = delimiter == null ? ',' : delimiter;
        if ((timestamp == null) == (date == null || time == null)) {
            throw new InvalidInputException("column mapping: give either 'timestamp' or both 'date' and 'time'");
        }
        for (String[] required : new String[][] {{"open", open}, {"high", high}, {"low", low}, {"close", close},
                {"volume", volume}}) {
            if (required[1] == null) {
                throw new InvalidInputException("column mapping: field '" + required[0] + "' is required");
            }
        }
        try {
            ZoneId.of(zone);
        } catch (RuntimeException e) {
            throw new InvalidInputException("column mapping: field 'zone' is '" + zone + "', not a time zone id");
        }
    }

    public ZoneId zoneId() {
        return ZoneId.of(zone);
    }

    public static ColumnMapping load(Path file) {
        return Yaml.read(file, ColumnMapping.class);
    }

    public ColumnMapping withZone(String newZone) {
        return new ColumnMapping(symbol, timestamp, date, time, timestampFormat, newZone, label, open, high, low,
                close, volume, vwap, tradeCount, delimiter);
    }

    public ColumnMapping withLabel(BarLabel newLabel) {
        return new ColumnMapping(symbol, timestamp, date, time, timestampFormat, zone, newLabel, open, high, low,
                close, volume, vwap, tradeCount, delimiter);
    }

    /** Layouts of common vendors' bar files. */
    public enum Preset {
        /** alpaca-py's {@code df.to_csv()}: symbol,timestamp,open,high,low,close,volume,trade_count,vwap; UTC, bar start. */
        ALPACA(new ColumnMapping("symbol", "timestamp", null, null, "iso", "UTC", BarLabel.START,
                "open", "high", "low", "close", "volume", "vwap", "trade_count", ',')),
        /** Polygon/Massive flat files: ticker,volume,open,close,high,low,window_start,transactions; epoch ns, bar start. */
        POLYGON(new ColumnMapping("ticker", "window_start", null, null, "epoch_ns", "UTC", BarLabel.START,
                "open", "high", "low", "close", "volume", null, "transactions", ',')),
        /** yfinance {@code to_csv()} of intraday history: Datetime with offset,Open,High,Low,Close,Volume; bar start. */
        YFINANCE(new ColumnMapping(null, "Datetime", null, null, "iso", "America/New_York", BarLabel.START,
                "Open", "High", "Low", "Close", "Volume", null, null, ',')),
        /** TradeStation/MultiCharts export: "Date","Time",Open,High,Low,Close,Vol; MM/dd/yyyy HH:mm exchange time, bar END. */
        TRADESTATION(new ColumnMapping(null, null, "Date", "Time", "MM/dd/yyyy HH:mm", "America/New_York",
                BarLabel.END, "Open", "High", "Low", "Close", "Vol", null, null, ','));

        private final ColumnMapping mapping;

        Preset(ColumnMapping mapping) {
            this.mapping = mapping;
        }

        public ColumnMapping mapping() {
            return mapping;
        }

        public static Preset parse(String text) {
            for (Preset p : values()) {
                if (p.name().equalsIgnoreCase(text)) {
                    return p;
                }
            }
            throw new InvalidInputException("unknown vendor layout '" + text + "'; known: "
                    + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }
}
