package io.foresail.data.store;

import io.foresail.core.error.ForesailException;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * One symbol's bars as one Parquet file, in the bar store's schema:
 * {@code symbol, ts, open, high, low, close, volume, vwap, trade_count} with {@code ts} a
 * {@code TIMESTAMP(MICROS, UTC)} bar start and {@code vwap} null when unknown. ZSTD-compressed,
 * one row group, no wall-clock metadata, so the same series always gives the same bytes. Spark
 * reads these files as they are.
 */
public final class ParquetBarFile {
    /** The stored schema. Column order is part of the contract. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts")
            .required(PrimitiveTypeName.DOUBLE).named("open")
            .required(PrimitiveTypeName.DOUBLE).named("high")
            .required(PrimitiveTypeName.DOUBLE).named("low")
            .required(PrimitiveTypeName.DOUBLE).named("close")
            .required(PrimitiveTypeName.DOUBLE).named("volume")
            .optional(PrimitiveTypeName.DOUBLE).named("vwap")
            .required(PrimitiveTypeName.INT64).named("trade_count")
            .named("bar");

    private ParquetBarFile() {
    }

    /** Writes {@code series} to {@code file}, replacing it. */
    public static void write(Path file, BarSeries series) {
        Binary symbol = Binary.fromConstantByteArray(series.symbol().getBytes(StandardCharsets.UTF_8));
        ParquetRows.write(file, SCHEMA, Map.of("foresail.format", "bars/1"), series.size(), (i, out) -> {
            ParquetRows.field(out, 0, "symbol", symbol);
            ParquetRows.field(out, 1, "ts", series.tsMicros(i));
            ParquetRows.field(out, 2, "open", series.open(i));
            ParquetRows.field(out, 3, "high", series.high(i));
            ParquetRows.field(out, 4, "low", series.low(i));
            ParquetRows.field(out, 5, "close", series.close(i));
            ParquetRows.field(out, 6, "volume", series.volume(i));
            if (!Double.isNaN(series.vwap(i))) {
                ParquetRows.field(out, 7, "vwap", series.vwap(i));
            }
            ParquetRows.field(out, 8, "trade_count", series.tradeCount(i));
        });
    }

    /** Reads the bars of {@code symbol} from {@code file}; every row must be of that symbol. */
    public static BarSeries read(Path file, String symbol) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            if (!schema.equals(SCHEMA)) {
                throw new ForesailException(file + ": not a bar-store file; schema is " + schema);
            }
            long rows = reader.getRecordCount();
            if (rows > Integer.MAX_VALUE) {
                throw new ForesailException(file + ": too many rows for one symbol: " + rows);
            }
            Materializer materializer = new Materializer(file, symbol, (int) rows);
            ColumnIOFactory factory = new ColumnIOFactory();
            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                RecordReader<Void> records = factory.getColumnIO(SCHEMA).getRecordReader(rowGroup, materializer);
                for (long r = 0, n = rowGroup.getRowCount(); r < n; r++) {
                    records.read();
                }
            }
            return materializer.builder.build();
        } catch (IOException e) {
            throw new ForesailException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends each record straight into a {@link BarSeries.Builder}. */
    private static final class Materializer extends RecordMaterializer<Void> {
        private final BarSeries.Builder builder;
        private final Root root;

        Materializer(Path file, String symbol, int rows) {
            this.builder = BarSeries.builder(symbol, rows);
            this.root = new Root(file, symbol, builder);
        }

        @Override
        public Void getCurrentRecord() {
            return null;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }

    private static final class Root extends GroupConverter {
        private final Binary expectedSymbol;
        private final BarSeries.Builder builder;
        private final Converter[] converters = new Converter[9];
        private long ts;
        private final double[] values = new double[6];
        private long tradeCount;
        private long row;

        Root(Path file, String symbol, BarSeries.Builder builder) {
            this.expectedSymbol = Binary.fromString(symbol);
            this.builder = builder;
            converters[0] = new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                    if (!value.equals(expectedSymbol)) {
                        throw new ForesailException(file + ": row " + row + " holds symbol '"
                                + value.toStringUsingUTF8() + "', expected " + expectedSymbol.toStringUsingUTF8());
                    }
                }
            };
            converters[1] = new PrimitiveConverter() {
                @Override
                public void addLong(long value) {
                    ts = value;
                }
            };
            for (int c = 0; c < 6; c++) {
                int slot = c;
                converters[2 + c] = new PrimitiveConverter() {
                    @Override
                    public void addDouble(double value) {
                        values[slot] = value;
                    }
                };
            }
            converters[8] = new PrimitiveConverter() {
                @Override
                public void addLong(long value) {
                    tradeCount = value;
                }
            };
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return converters[fieldIndex];
        }

        @Override
        public void start() {
            values[5] = Double.NaN;
        }

        @Override
        public void end() {
            builder.add(ts, values[0], values[1], values[2], values[3], values[4], values[5], tradeCount);
            row++;
        }
    }
}
