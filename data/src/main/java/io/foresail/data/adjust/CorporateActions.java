package io.foresail.data.adjust;

import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The corporate-actions file: CSV with header {@code symbol,date,ratio}, one split per row. The
 * ratio is new shares per old share, written as a number ({@code 4}, {@code 0.1}) or as
 * {@code 4:1} / {@code 1:10}. Immutable; entries sorted by symbol, then date.
 */
public final class CorporateActions {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader("symbol", "date", "ratio").setSkipHeaderRecord(true).setTrim(true)
            .setIgnoreEmptyLines(true).setCommentMarker('#').get();

    private final List<CorporateAction> actions;

    public CorporateActions(List<CorporateAction> actions) {
        this.actions = actions.stream()
                .sorted(Comparator.comparing(CorporateAction::symbol).thenComparing(CorporateAction::exDate))
                .toList();
    }

    public static CorporateActions none() {
        return new CorporateActions(List.of());
    }

    public List<CorporateAction> all() {
        return actions;
    }

    public List<CorporateAction> of(String symbol) {
        return actions.stream().filter(a -> a.symbol().equals(symbol)).toList();
    }

    /** Loads the file; each error names the file, line and field. */
    public static CorporateActions load(Path file) {
        List<CorporateAction> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            List<String> header = parser.getHeaderNames();
            for (String required : List.of("symbol", "date", "ratio")) {
                if (!header.contains(required)) {
                    throw new InvalidInputException(file + ": header must be symbol,date,ratio; got " + header);
                }
            }
            for (CSVRecord r : parser) {
                String where = file + ":" + parser.getCurrentLineNumber();
                String symbol = r.get("symbol").toUpperCase(Locale.ROOT);
                if (symbol.isEmpty()) {
                    throw new InvalidInputException(where + ": field 'symbol' is empty");
                }
                LocalDate date;
                try {
                    date = LocalDate.parse(r.get("date"));
                } catch (DateTimeParseException e) {
                    throw new InvalidInputException(where + ": field 'date' is '" + r.get("date")
                            + "', expected YYYY-MM-DD");
                }
                double ratio = parseRatio(r.get("ratio"), where);
                try {
                    out.add(new CorporateAction(symbol, date, ratio));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException(where + ": field 'ratio': " + e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": corporate-actions file not found");
        } catch (IOException | IllegalStateException e) {
            throw new InvalidInputException(file + ": cannot read corporate actions: " + e.getMessage(), e);
        }
        return new CorporateActions(out);
    }

    static double parseRatio(String text, String where) {
        try {
            int colon = text.indexOf(':');
            if (colon > 0) {
                return Double.parseDouble(text.substring(0, colon)) / Double.parseDouble(text.substring(colon + 1));
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + ": field 'ratio' is '" + text
                    + "', expected a number such as 4 or a ratio such as 4:1");
        }
    }

    /** Writes the file in the form {@link #load} reads. */
    public void write(Path file) {
        try (Writer w = Files.newBufferedWriter(file);
             CSVPrinter printer = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                     .setHeader("symbol", "date", "ratio").setRecordSeparator('\n').get())) {
            for (CorporateAction a : actions) {
                printer.printRecord(a.symbol(), a.exDate(), a.ratio());
            }
        } catch (IOException e) {
            throw new ForesailException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
