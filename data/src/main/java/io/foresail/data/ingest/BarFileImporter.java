package io.foresail.data.ingest;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.store.BarStoreWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports vendor bar files (CSV, CSV.gz or Parquet) into a new bar store through a
 * {@link ColumnMapping}. Rows are stored in file order, valid or not, so that validation can report
 * and quarantine them; a row that cannot even be parsed stops the import with an error naming the
 * file, line and column. Pre- and post-market bars are counted and left out (see {@link ImportSummary}).
 */
public final class BarFileImporter {
    private static final Logger LOG = LoggerFactory.getLogger(BarFileImporter.class);
    private static final Pattern SYMBOL_IN_NAME = Pattern.compile("^([A-Za-z][A-Za-z0-9.]{0,9})(?:[_\\-. ].*)?$");

    private final ColumnMapping mapping;
    private final Timeframe timeframe;
    private final TradingCalendar calendar;
    private final String fixedSymbol;
    private final TimestampParser timestamps;
    private final SessionFilter aligner;

    /** @param fixedSymbol the symbol of every row when the files have no symbol column, else null */
    public BarFileImporter(ColumnMapping mapping, Timeframe timeframe, TradingCalendar calendar, String fixedSymbol) {
        this.mapping = mapping;
        this.timeframe = timeframe;
        this.calendar = calendar;
        this.fixedSymbol = fixedSymbol == null ? null : fixedSymbol.toUpperCase(Locale.ROOT);
        this.timestamps = new TimestampParser(mapping.timestampFormat(), mapping.zoneId());
        this.aligner = new SessionFilter(calendar, timeframe, mapping.label(), mapping.zoneId());
    }

    /** Reads {@code files} in order and writes them as a new store at {@code out}. */
    public ImportSummary importFiles(List<Path> files, Path out, Adjustment adjustment) {
        if (files.isEmpty()) {
            throw new InvalidInputException("no input files given");
        }
        Map<String, BarSeries.Builder> bySymbol = new LinkedHashMap<>();
        long[] counts = new long[2];
        for (Path file : files) {
            String symbol = fixedSymbol != null ? fixedSymbol
                    : mapping.symbol() == null ? symbolFromFileName(file) : null;
            if (isParquet(file)) {
                readParquet(file, symbol, bySymbol, counts);
            } else {
                readCsv(file, symbol, bySymbol, counts);
            }
        }
        Map<String, String> provenance = new TreeMap<>();
        provenance.put("source", "files");
        provenance.put("files", Integer.toString(files.size()));
        BarStoreWriter writer = BarStoreWriter.create(out, calendar.name(), timeframe, adjustment, provenance);
        TreeMap<String, Long> perSymbol = new TreeMap<>();
        long stored = 0;
        for (BarSeries.Builder b : bySymbol.values()) {
            BarSeries s = b.build();
            writer.put(s);
            perSymbol.put(s.symbol(), (long) s.size());
            stored += s.size();
        }
        BarStore store = writer.commit();
        LOG.info("imported {} rows of {} symbols into {}", stored, perSymbol.size(), store.root());
        return new ImportSummary(files.size(), counts[0], stored, counts[1], perSymbol);
    }

    static boolean isParquet(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".parquet") || name.endsWith(".pq");
    }

    static String symbolFromFileName(Path file) {
        Matcher m = SYMBOL_IN_NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new InvalidInputException(file + ": the mapping has no symbol column and the file name does not"
                    + " start with a ticker; give --symbol");
        }
        return m.group(1).toUpperCase(Locale.ROOT);
    }

    /** A source row: text of a mapped column, with its location for messages. */
    private interface Row {
        String get(String column);

        String where(String column);
    }

    private void readCsv(Path file, String symbol, Map<String, BarSeries.Builder> out, long[] counts) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(mapping.delimiter()).setHeader()
                .setSkipHeaderRecord(true).setTrim(true).setIgnoreEmptyLines(true).get();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            List<String> header = parser.getHeaderNames();
            for (String column : requiredColumns()) {
                if (!header.contains(column)) {
                    throw new InvalidInputException(file + ": column '" + column + "' is missing; the header is "
                            + header);
                }
            }
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                addRow(new Row() {
                    @Override
                    public String get(String column) {
                        return r.isSet(column) ? r.get(column) : "";
                    }

                    @Override
                    public String where(String column) {
                        return file + ":" + line + ": column '" + column + "'";
                    }
                }, symbol, out, counts);
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": file not found");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidInputException(file + ": cannot read CSV: " + e.getMessage(), e);
        }
    }

    private void readParquet(Path file, String symbol, Map<String, BarSeries.Builder> out, long[] counts) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": file not found");
        }
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            for (String column : requiredColumns()) {
                if (!schema.containsField(column)) {
                    throw new InvalidInputException(file + ": column '" + column + "' is missing; the columns are "
                            + schema.getFields().stream().map(Type::getName).toList());
                }
            }
            long[] row = {0};
            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(rowGroup, new GroupRecordConverter(schema));
                for (long r = 0; r < rowGroup.getRowCount(); r++) {
                    Group g = records.read();
                    long index = ++row[0];
                    addRow(new Row() {
                        @Override
                        public String get(String column) {
                            return parquetText(g, schema, column);
                        }

                        @Override
                        public String where(String column) {
                            return file + ": row " + index + ": column '" + column + "'";
                        }
                    }, symbol, out, counts);
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read Parquet: " + e.getMessage(), e);
        }
    }

    /** A Parquet value as text; typed timestamps become ISO-8601 UTC instants. */
    private static String parquetText(Group g, MessageType schema, String column) {
        if (!schema.containsField(column) || g.getFieldRepetitionCount(column) == 0) {
            return "";
        }
        Type type = schema.getType(column);
        if (!type.isPrimitive()) {
            throw new InvalidInputException("column '" + column + "' is a nested type, not a value");
        }
        PrimitiveType p = type.asPrimitiveType();
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        return switch (p.getPrimitiveTypeName()) {
            case INT64 -> {
                long v = g.getLong(column, 0);
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    Instant t = switch (ts.getUnit()) {
                        case MILLIS -> Instant.ofEpochMilli(v);
                        case MICROS -> Instant.EPOCH.plusNanos(v * 1000L);
                        case NANOS -> Instant.EPOCH.plusNanos(v);
                    };
                    yield t.toString();
                }
                yield Long.toString(v);
            }
            case INT32 -> Integer.toString(g.getInteger(column, 0));
            case DOUBLE -> Double.toString(g.getDouble(column, 0));
            case FLOAT -> Float.toString(g.getFloat(column, 0));
            case BINARY, FIXED_LEN_BYTE_ARRAY -> g.getString(column, 0);
            case BOOLEAN -> Boolean.toString(g.getBoolean(column, 0));
            case INT96 -> throw new InvalidInputException("column '" + column
                    + "' is an INT96 timestamp, which is deprecated; write it as TIMESTAMP(MICROS) or text");
        };
    }

    private List<String> requiredColumns() {
        List<String> cols = new java.util.ArrayList<>();
        if (mapping.symbol() != null && fixedSymbol == null) {
            cols.add(mapping.symbol());
        }
        if (mapping.timestamp() != null) {
            cols.add(mapping.timestamp());
        } else {
            cols.add(mapping.date());
            cols.add(mapping.time());
        }
        cols.addAll(List.of(mapping.open(), mapping.high(), mapping.low(), mapping.close(), mapping.volume()));
        return cols;
    }

    private void addRow(Row row, String fileSymbol, Map<String, BarSeries.Builder> out, long[] counts) {
        counts[0]++;
        String symbol = fileSymbol;
        if (symbol == null) {
            symbol = row.get(mapping.symbol()).toUpperCase(Locale.ROOT);
            if (symbol.isEmpty()) {
                throw new InvalidInputException(row.where(mapping.symbol()) + " is empty");
            }
        }
        Instant stamp;
        String tsColumn = mapping.timestamp() != null ? mapping.timestamp() : mapping.date() + "+" + mapping.time();
        try {
            stamp = mapping.timestamp() != null ? timestamps.parse(row.get(mapping.timestamp()))
                    : timestamps.parse(row.get(mapping.date()), row.get(mapping.time()));
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            String text = mapping.timestamp() != null ? row.get(mapping.timestamp())
                    : row.get(mapping.date()) + " " + row.get(mapping.time());
            throw new InvalidInputException(row.where(tsColumn) + " is '" + text + "', not a timestamp in format '"
                    + mapping.timestampFormat() + "'");
        }
        Optional<Instant> start = aligner.align(stamp);
        if (start.isEmpty()) {
            counts[1]++;
            return;
        }
        long micros = Math.addExact(Math.multiplyExact(start.get().getEpochSecond(), 1_000_000L),
                start.get().getNano() / 1000);
        double vwap = mapping.vwap() == null || row.get(mapping.vwap()).isEmpty() ? Double.NaN
                : number(row, mapping.vwap());
        long trades = mapping.tradeCount() == null || row.get(mapping.tradeCount()).isEmpty() ? 0
                : (long) number(row, mapping.tradeCount());
        out.computeIfAbsent(symbol, s -> BarSeries.builder(s, 4096)).add(micros,
                number(row, mapping.open()), number(row, mapping.high()), number(row, mapping.low()),
                number(row, mapping.close()), number(row, mapping.volume()), vwap, trades);
    }

    private static double number(Row row, String column) {
        String text = row.get(column);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(row.where(column) + " is '" + text + "', not a number");
        }
    }
}
