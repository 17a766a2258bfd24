package io.foresail.data.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.store.ParquetRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarFileImporterTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) {
        return Path.of("src/test/resources/vendors", name);
    }

    private BarStore importWith(ColumnMapping m, String symbol, Path... files) {
        new BarFileImporter(m, Timeframe.MIN_15, TradingCalendar.nyse(), symbol)
                .importFiles(List.of(files), dir.resolve("out"), Adjustment.RAW);
        return BarStore.open(dir.resolve("out"));
    }

    @Test
    void polygonFlatFileWithNanosecondEpochsAndAPreMarketRow() {
        ImportSummary s = new BarFileImporter(ColumnMapping.Preset.POLYGON.mapping(), Timeframe.MIN_15,
                TradingCalendar.nyse(), null).importFiles(List.of(fixture("polygon.csv")), dir.resolve("out"), Adjustment.RAW);
        assertThat(s.rowsRead()).isEqualTo(4);
        assertThat(s.outsideSession()).as("the 10:00 UTC (06:00 New York) row").isEqualTo(1);
        BarSeries aapl = BarStore.open(dir.resolve("out")).read("AAPL");
        assertThat(aapl.size()).isEqualTo(2);
        assertThat(aapl.start(0)).isEqualTo(Instant.parse("2024-06-03T13:30:00Z"));
        assertThat(aapl.close(1)).isEqualTo(189.20);
        assertThat(aapl.tradeCount(0)).isEqualTo(1520);
        assertThat(aapl.vwap(0)).isNaN();
    }

    @Test
    void yfinanceWithOffsetsAndTheSymbolFromTheFileName() {
        BarSeries s = importWith(ColumnMapping.Preset.YFINANCE.mapping(), null, fixture("AAPL_yfinance.csv")).read("AAPL");
        assertThat(s.start(1)).isEqualTo(Instant.parse("2024-06-03T13:45:00Z"));
        assertThat(s.open(0)).isEqualTo(189.10);
    }

    @Test
    void tradestationEndLabelledLocalTimesMapToBarStarts() {
        BarSeries s = importWith(ColumnMapping.Preset.TRADESTATION.mapping(), null, fixture("MSFT_tradestation.csv"))
                .read("MSFT");
        assertThat(s.start(0)).isEqualTo(Instant.parse("2024-06-03T13:30:00Z"));
        assertThat(s.start(1)).as("the bar ending at the 16:00 close").isEqualTo(Instant.parse("2024-06-03T19:45:00Z"));
    }

    @Test
    void unparseableValuesNameTheFileLineAndColumn() throws Exception {
        Path f = dir.resolve("AAPL.csv");
        Files.writeString(f, "symbol,timestamp,open,high,low,close,volume,trade_count,vwap\n"
                + "AAPL,2024-06-03T13:30:00Z,1,2,0.5,1.5,100,3,1.2\n"
                + "AAPL,2024-06-03T13:45:00Z,1,2,0.5,one-fifty,100,3,1.2\n");
        assertThatThrownBy(() -> importWith(ColumnMapping.Preset.ALPACA.mapping(), null, f))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(f + ":3: column 'close' is 'one-fifty', not a number");
        Files.writeString(f, "symbol,timestamp,open,high,low,close\nAAPL,2024-06-03T13:30:00Z,1,2,0.5,1.5\n");
        assertThatThrownBy(() -> importWith(ColumnMapping.Preset.ALPACA.mapping(), null, f))
                .hasMessageContaining("column 'volume' is missing");
        Files.writeString(f, "symbol,timestamp,open,high,low,close,volume\nAAPL,yesterday,1,2,0.5,1.5,1\n");
        assertThatThrownBy(() -> importWith(ColumnMapping.Preset.ALPACA.mapping(), null, f))
                .hasMessageContaining(":2: column 'timestamp' is 'yesterday'");
    }

    @Test
    void parquetWithATypedTimestampAndACustomMapping() throws Exception {
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("sym")
                .required(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named("time")
                .required(PrimitiveTypeName.DOUBLE).named("o").required(PrimitiveTypeName.DOUBLE).named("h")
                .required(PrimitiveTypeName.DOUBLE).named("l").required(PrimitiveTypeName.DOUBLE).named("c")
                .required(PrimitiveTypeName.INT64).named("v").named("vendor");
        Path f = dir.resolve("bars.parquet");
        long t0 = Instant.parse("2024-06-03T13:30:00Z").toEpochMilli();
        ParquetRows.write(f, schema, Map.of(), 3, (i, out) -> {
            ParquetRows.field(out, 0, "sym", Binary.fromConstantByteArray("TSLA".getBytes(StandardCharsets.UTF_8)));
            ParquetRows.field(out, 1, "time", t0 + i * 900_000L);
            ParquetRows.field(out, 2, "o", 170.0 + i);
            ParquetRows.field(out, 3, "h", 172.0 + i);
            ParquetRows.field(out, 4, "l", 169.0 + i);
            ParquetRows.field(out, 5, "c", 171.0 + i);
            ParquetRows.field(out, 6, "v", 1000L * (i + 1));
        });
        Path mapping = dir.resolve("mapping.yaml");
        Files.writeString(mapping, "symbol: sym\ntimestamp: time\nopen: o\nhigh: h\nlow: l\nclose: c\nvolume: v\n");
        BarSeries s = importWith(ColumnMapping.load(mapping), null, f).read("TSLA");
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.start(2)).isEqualTo(Instant.parse("2024-06-03T14:00:00Z"));
        assertThat(s.volume(2)).isEqualTo(3000);
    }
}
