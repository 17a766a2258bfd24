package io.foresail.data.synth;

import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.data.store.ParquetRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The synthetic market's oracle, {@code oracle.parquet}: per equity and bar, the expected log
 * return of the NEXT bar (close to close, split-adjusted) as known at this bar's close. Null on a
 * series' last bar, whose next bar lies outside the range. {@code alpha} is the planted part of it,
 * a documented function of the observable (split-adjusted) bars up to this one; the rest is the
 * market drift times the symbol's beta. It sits beside the bar stores, never in
 * one: models must not see it.
 */
public final class OracleFile {
    public static final String FILE = "oracle.parquet";

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts")
            .optional(PrimitiveTypeName.DOUBLE).named("expected_return")
            .optional(PrimitiveTypeName.DOUBLE).named("alpha")
            .optional(PrimitiveTypeName.DOUBLE).named("slow_alpha")
            .named("oracle");
    /** Oracle files of the first generator (synth/1), which had no slow component. */
    static final MessageType SCHEMA_1 = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts")
            .optional(PrimitiveTypeName.DOUBLE).named("expected_return")
            .optional(PrimitiveTypeName.DOUBLE).named("alpha")
            .named("oracle");

    private OracleFile() {
    }

    /**
     * One equity's oracle values, aligned with its bar timestamps (epoch micros): the expected
     * next-bar return, its planted part, and the slow component of that part.
     */
    public record Series(String symbol, long[] tsMicros, double[] expectedReturn, double[] alpha, double[] slowAlpha) {

        /**
         * The expected return over the next {@code bars} bars known at bar {@code t}, to first order:
         * the fast part's next bar, and the slow part decaying with its half-life (the drift aside).
         */
        public double expectedOver(int t, int bars) {
            double slow = slowAlpha[t];
            if (Double.isNaN(slow)) {
                return Double.NaN;
            }
            double decay = SyntheticMarket.SLOW_DECAY;
            return alpha[t] - slow + slow * (1 - StrictMath.pow(decay, bars)) / (1 - decay);
        }
    }

    static void write(Path file, List<SyntheticMarket.SymbolData> equities) {
        int per = equities.isEmpty() ? 0 : equities.get(0).oracle().length;
        int rows = per * equities.size();
        List<Binary> symbols = new ArrayList<>();
        equities.forEach(e -> symbols.add(Binary.fromConstantByteArray(e.equity().symbol().getBytes(StandardCharsets.UTF_8))));
        ParquetRows.write(file, SCHEMA, Map.of("foresail.format", "oracle/2"), rows, (row, out) -> {
            int s = row / per;
            int t = row % per;
            SyntheticMarket.SymbolData d = equities.get(s);
            ParquetRows.field(out, 0, "symbol", symbols.get(s));
            ParquetRows.field(out, 1, "ts", d.raw().tsMicros(t));
            if (!Double.isNaN(d.oracle()[t])) {
                ParquetRows.field(out, 2, "expected_return", d.oracle()[t]);
                ParquetRows.field(out, 3, "alpha", d.alpha()[t]);
                ParquetRows.field(out, 4, "slow_alpha", d.slowAlpha()[t]);
            }
        });
    }

    /** Reads an oracle file, grouped by symbol in file order. */
    public static Map<String, Series> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": oracle file not found");
        }
        Map<String, List<long[]>> ts = new LinkedHashMap<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> alphas = new LinkedHashMap<>();
        Map<String, List<Double>> slows = new LinkedHashMap<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            boolean first = schema.equals(SCHEMA_1);
            if (!schema.equals(SCHEMA) && !first) {
                throw new InvalidInputException(file + ": not an oracle file; schema is " + schema);
            }
            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(rowGroup, new GroupRecordConverter(schema));
                for (long r = 0; r < rowGroup.getRowCount(); r++) {
                    Group g = records.read();
                    String symbol = g.getString("symbol", 0);
                    ts.computeIfAbsent(symbol, k -> new ArrayList<>()).add(new long[] {g.getLong("ts", 0)});
                    values.computeIfAbsent(symbol, k -> new ArrayList<>()).add(
                            g.getFieldRepetitionCount("expected_return") == 0 ? Double.NaN
                                    : g.getDouble("expected_return", 0));
                    alphas.computeIfAbsent(symbol, k -> new ArrayList<>()).add(
                            g.getFieldRepetitionCount("alpha") == 0 ? Double.NaN : g.getDouble("alpha", 0));
                    double alpha = g.getFieldRepetitionCount("alpha") == 0 ? Double.NaN : g.getDouble("alpha", 0);
                    // A synth/1 market planted no slow part: zero wherever it planted anything.
                    slows.computeIfAbsent(symbol, k -> new ArrayList<>()).add(first ? (Double.isNaN(alpha) ? Double.NaN : 0.0)
                            : g.getFieldRepetitionCount("slow_alpha") == 0 ? Double.NaN : g.getDouble("slow_alpha", 0));
                }
            }
        } catch (IOException e) {
            throw new ForesailException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, Series> out = new LinkedHashMap<>();
        ts.forEach((symbol, list) -> {
            long[] t = new long[list.size()];
            double[] v = new double[list.size()];
            double[] a = new double[list.size()];
            double[] sl = new double[list.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = list.get(i)[0];
                v[i] = values.get(symbol).get(i);
                a[i] = alphas.get(symbol).get(i);
                sl[i] = slows.get(symbol).get(i);
            }
            out.put(symbol, new Series(symbol, t, v, a, sl));
        });
        return out;
    }
}
