package io.foresail.pipelines.features;

import io.foresail.data.store.ParquetRows;
import io.foresail.features.batch.FeatureBatch;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes one symbol's feature-set rows as a Parquet part: {@code symbol} (string), {@code ts}
 * (bar start, timestamp micros UTC), then each feature and label as a required double (NaN where
 * undefined). Byte-identical for identical columns.
 */
public final class FeatureSetWriter {
    private FeatureSetWriter() {
    }

    public static MessageType schema(List<String> features, List<String> labels) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol");
        b.required(PrimitiveType.PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts");
        for (String f : features) {
            b.required(PrimitiveType.PrimitiveTypeName.DOUBLE).named(f);
        }
        for (String l : labels) {
            b.required(PrimitiveType.PrimitiveTypeName.DOUBLE).named(l);
        }
        return b.named("features");
    }

    /** The part file name of a symbol. */
    public static String partName(String symbol) {
        return "part-" + symbol + ".parquet";
    }

    public static void write(Path file, FeatureBatch.SymbolColumns cols, List<String> features, List<String> labels,
                             String featureSetId) {
        MessageType schema = schema(features, labels);
        Binary symbol = Binary.fromString(cols.symbol());
        int nf = features.size();
        int nl = labels.size();
        ParquetRows.write(file, schema, Map.of("foresail.feature_set_id", featureSetId), cols.rows(), (row, out) -> {
            ParquetRows.field(out, 0, "symbol", symbol);
            ParquetRows.field(out, 1, "ts", cols.ts()[row]);
            for (int k = 0; k < nf; k++) {
                ParquetRows.field(out, 2 + k, features.get(k), cols.features()[k][row]);
            }
            for (int k = 0; k < nl; k++) {
                ParquetRows.field(out, 2 + nf + k, labels.get(k), cols.labels()[k][row]);
            }
        }, false);
    }
}
