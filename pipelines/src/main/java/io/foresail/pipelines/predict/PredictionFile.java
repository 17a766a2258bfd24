package io.foresail.pipelines.predict;

import io.foresail.core.error.ForesailException;
import io.foresail.data.store.ParquetRows;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A prediction file: Parquet with one row per scored (symbol, bar) — {@code symbol} (string),
 * {@code ts} (bar start, UTC microseconds), {@code score} (double) and {@code model_version}
 * ({@code NAME/VERSION}) — and file metadata naming the model, its run, the feature set and plan.
 * Rows in bar order, then symbol. What the backtest replays as precomputed predictions.
 */
public final class PredictionFile {
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol")
            .required(PrimitiveType.PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts")
            .required(PrimitiveType.PrimitiveTypeName.DOUBLE).named("score")
            .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("model_version")
            .named("predictions");

    private PredictionFile() {
    }

    /** The rows of a prediction file, column-wise. */
    public record Rows(List<String> symbol, long[] tsMicros, double[] score, List<String> modelVersion,
                       Map<String, String> metadata) {
        public int size() {
            return tsMicros.length;
        }
    }

    /**
     * Writes {@code n} rows.
     *
     * @param metadata key/value pairs for the file footer (model, run, feature set, plan hash)
     */
    public static void write(Path file, List<String> symbol, long[] tsMicros, double[] score, String modelVersion,
                             Map<String, String> metadata) {
        Binary version = Binary.fromString(modelVersion);
        Binary[] symbols = symbol.stream().map(Binary::fromString).toArray(Binary[]::new);
        ParquetRows.write(file, SCHEMA, metadata, tsMicros.length, (row, out) -> {
            ParquetRows.field(out, 0, "symbol", symbols[row]);
            ParquetRows.field(out, 1, "ts", tsMicros[row]);
            ParquetRows.field(out, 2, "score", score[row]);
            ParquetRows.field(out, 3, "model_version", version);
        });
    }

    public static Rows read(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            if (!schema.equals(SCHEMA)) {
                throw new ForesailException(file + ": not a prediction file; schema is " + schema);
            }
            int n = Math.toIntExact(reader.getRecordCount());
            List<String> symbols = new ArrayList<>(n);
            List<String> versions = new ArrayList<>(n);
            long[] ts = new long[n];
            double[] score = new double[n];
            ColumnIOFactory factory = new ColumnIOFactory();
            PageReadStore rowGroup;
            int at = 0;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = factory.getColumnIO(schema).getRecordReader(rowGroup,
                        new GroupRecordConverter(schema));
                for (long r = 0, rows = rowGroup.getRowCount(); r < rows; r++, at++) {
                    Group g = records.read();
                    symbols.add(g.getString("symbol", 0));
                    ts[at] = g.getLong("ts", 0);
                    score[at] = g.getDouble("score", 0);
                    versions.add(g.getString("model_version", 0));
                }
            }
            return new Rows(symbols, ts, score, versions, reader.getFooter().getFileMetaData().getKeyValueMetaData());
        } catch (IOException | ArithmeticException e) {
            throw new ForesailException("cannot read prediction file " + file + ": " + e.getMessage(), e);
        }
    }
}
