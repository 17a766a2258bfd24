package io.foresail.training.data;

import io.foresail.core.error.InvalidInputException;
import io.foresail.data.store.ParquetRows;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Arrow reader returns exactly the values written: every bit of every double (NaN, signed
 * zero, infinities included) and every timestamp, across many record batches and row groups; and
 * refuses a file that is not a feature-set part, naming the file and the column.
 */
class FeatureSetReaderTest {
    @TempDir
    Path dir;

    private static MessageType layout(boolean nullable) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol");
        b.required(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts");
        b.required(PrimitiveTypeName.DOUBLE).named("ret_1");
        if (nullable) {
            b.optional(PrimitiveTypeName.DOUBLE).named("rsi_14");
        } else {
            b.required(PrimitiveTypeName.DOUBLE).named("rsi_14");
        }
        b.required(PrimitiveTypeName.DOUBLE).named("label_fwd_1_raw");
        return b.named("features");
    }

    @Test
    void readsEveryBitAcrossBatches() {
        // More rows than one Arrow batch (65,536) and a small row group size: several of each.
        int rows = 150_001;
        SplittableRandom r = new SplittableRandom(3);
        long[] ts = new long[rows];
        double[][] v = new double[3][rows];
        double[] specials = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        for (int i = 0; i < rows; i++) {
            ts[i] = 1_600_000_000_000_000L + i * 900_000_000L;
            for (int k = 0; k < 3; k++) {
                v[k][i] = r.nextInt(20) == 0 ? specials[r.nextInt(specials.length)] : r.nextGaussian();
            }
        }
        Path file = dir.resolve("part-AAPL.parquet");
        Binary symbol = Binary.fromString("AAPL");
        ParquetRows.write(file, layout(false), Map.of(), rows, (row, out) -> {
            ParquetRows.field(out, 0, "symbol", symbol);
            ParquetRows.field(out, 1, "ts", ts[row]);
            ParquetRows.field(out, 2, "ret_1", v[0][row]);
            ParquetRows.field(out, 3, "rsi_14", v[1][row]);
            ParquetRows.field(out, 4, "label_fwd_1_raw", v[2][row]);
        });

        FeatureSetReader.Part part = FeatureSetReader.read(file);
        assertThat(part.columns()).containsExactly("ret_1", "rsi_14", "label_fwd_1_raw");
        assertThat(part.rows()).isEqualTo(rows);
        assertThat(part.ts()).isEqualTo(ts);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < rows; i++) {
                if (Double.doubleToRawLongBits(part.values()[k][i]) != Double.doubleToRawLongBits(v[k][i])) {
                    throw new AssertionError(part.columns().get(k) + " row " + i + ": read " + part.values()[k][i]
                            + ", written " + v[k][i]);
                }
            }
        }
        assertThat(part.column("rsi_14")).isSameAs(part.values()[1]);
    }

    @Test
    void refusesNullsAndOtherLayouts() throws Exception {
        Path nulls = dir.resolve("part-NULL.parquet");
        Binary symbol = Binary.fromString("NULL");
        ParquetRows.write(nulls, layout(true), Map.of(), 10, (row, out) -> {
            ParquetRows.field(out, 0, "symbol", symbol);
            ParquetRows.field(out, 1, "ts", 1_600_000_000_000_000L + row * 900_000_000L);
            ParquetRows.field(out, 2, "ret_1", 0.1);
            if (row != 7) {
                ParquetRows.field(out, 3, "rsi_14", 50.0);
            }
            ParquetRows.field(out, 4, "label_fwd_1_raw", 0.0);
        });
        assertThatThrownBy(() -> FeatureSetReader.read(nulls)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("part-NULL.parquet").hasMessageContaining("column rsi_14 has 1 nulls")
                .hasMessageContaining("NaN");

        Path bars = dir.resolve("bars.parquet");
        MessageType other = Types.buildMessage().required(PrimitiveTypeName.INT64).named("ts")
                .required(PrimitiveTypeName.DOUBLE).named("close").named("bars");
        ParquetRows.write(bars, other, Map.of(), 3, (row, out) -> {
            ParquetRows.field(out, 0, "ts", (long) row);
            ParquetRows.field(out, 1, "close", 1.0);
        });
        assertThatThrownBy(() -> FeatureSetReader.read(bars)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bars.parquet is not a feature-set part").hasMessageContaining("[ts, close]");

        Path junk = dir.resolve("part-JUNK.parquet");
        Files.writeString(junk, "not parquet");
        assertThatThrownBy(() -> FeatureSetReader.read(junk)).hasMessageContaining("cannot read")
                .hasMessageContaining("part-JUNK.parquet");
    }
}
