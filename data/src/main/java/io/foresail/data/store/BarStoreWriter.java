package io.foresail.data.store;

import io.foresail.core.io.Sha256;
import io.foresail.core.io.Json;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Timeframe;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Writes a bar store: {@link #put} writes one symbol's file (atomically replacing an older one),
 * {@link #commit} writes the manifest. Symbols not put in this session keep their previous entry,
 * which is how an import resumes and appends. {@code put} may be called from several threads.
 *
 * <p>Bars are written as given: the writer does not sort or validate, so that invalid data can be
 * stored, validated and quarantined rather than lost. Use the validator before trusting a store.
 */
public final class BarStoreWriter {
    private final Path root;
    private final Timeframe timeframe;
    private final Adjustment adjustment;
    private final String calendar;
    private final SortedMap<String, String> provenance;
    private final Map<String, BarStoreManifest.SymbolEntry> entries = new ConcurrentSkipListMap<>();

    private BarStoreWriter(Path root, String calendar, Timeframe timeframe, Adjustment adjustment,
                           Map<String, String> provenance, List<BarStoreManifest.SymbolEntry> existing) {
        this.root = root;
        this.calendar = calendar;
        this.timeframe = timeframe;
        this.adjustment = adjustment;
        this.provenance = new TreeMap<>(provenance);
        existing.forEach(e -> entries.put(e.symbol(), e));
        try {
            Files.createDirectories(root.resolve(BarStore.BARS_DIR));
        } catch (IOException e) {
            throw new ForesailException("cannot create bar store at " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * A writer for a new store at {@code root}, which must not already hold one (stores are not
     * silently overwritten).
     */
    public static BarStoreWriter create(Path root, String calendar, Timeframe timeframe, Adjustment adjustment,
                                        Map<String, String> provenance) {
        if (BarStore.exists(root)) {
            throw new InvalidInputException("a bar store already exists at " + root
                    + "; choose another directory or delete it first");
        }
        return new BarStoreWriter(root, calendar, timeframe, adjustment, provenance, List.of());
    }

    /**
     * A writer that continues the store at {@code root}, or starts one there. An existing store
     * must have the same timeframe and adjustment.
     */
    public static BarStoreWriter createOrAppend(Path root, String calendar, Timeframe timeframe,
                                                Adjustment adjustment, Map<String, String> provenance) {
        if (!BarStore.exists(root)) {
            return new BarStoreWriter(root, calendar, timeframe, adjustment, provenance, List.of());
        }
        BarStoreManifest m = BarStore.readManifest(root);
        if (!m.timeframe().equals(timeframe.alpacaName()) || m.adjustment() != adjustment
                || !m.calendar().equals(calendar)) {
            throw new InvalidInputException("the bar store at " + root + " holds " + m.timeframe() + " "
                    + m.adjustment().wireName() + " bars on " + m.calendar() + "; cannot add "
                    + timeframe + " " + adjustment.wireName() + " bars on " + calendar);
        }
        Map<String, String> merged = new TreeMap<>(m.provenance());
        merged.putAll(provenance);
        return new BarStoreWriter(root, calendar, timeframe, adjustment, merged, m.symbols());
    }

    public Path root() {
        return root;
    }

    /** Writes {@code series} as its symbol's file, replacing any earlier one atomically. */
    public void put(BarSeries series) {
        String relative = BarStore.BARS_DIR + "/" + series.symbol() + ".parquet";
        Path target = root.resolve(relative);
        Path tmp = root.resolve(BarStore.BARS_DIR).resolve("." + series.symbol() + ".parquet.tmp");
        ParquetBarFile.write(tmp, series);
        moveAtomically(tmp, target);
        Instant first = null;
        Instant last = null;
        for (int i = 0; i < series.size(); i++) {
            Instant t = series.start(i);
            first = first == null || t.isBefore(first) ? t : first;
            last = last == null || t.isAfter(last) ? t : last;
        }
        entries.put(series.symbol(), new BarStoreManifest.SymbolEntry(series.symbol(), series.size(), first, last,
                relative, Sha256.ofFile(target), ContentHash.of(series)));
    }

    /** Writes the manifest for every symbol put so far (and those kept from before), and returns the store. */
    public BarStore commit() {
        List<BarStoreManifest.SymbolEntry> list = new ArrayList<>(entries.values());
        long rows = 0;
        Instant first = null;
        Instant last = null;
        Map<String, String> hashes = new TreeMap<>();
        for (BarStoreManifest.SymbolEntry e : list) {
            rows += e.rows();
            if (e.first() != null && (first == null || e.first().isBefore(first))) {
                first = e.first();
            }
            if (e.last() != null && (last == null || e.last().isAfter(last))) {
                last = e.last();
            }
            hashes.put(e.symbol(), e.contentSha256());
        }
        BarStoreManifest manifest = new BarStoreManifest(BarStoreManifest.FORMAT, calendar,
                timeframe.alpacaName(), adjustment, provenance, rows, first, last, ContentHash.combine(hashes), list);
        Path tmp = root.resolve("." + BarStore.MANIFEST + ".tmp");
        try {
            Files.writeString(tmp, Json.SORTED_PRETTY.writeValueAsString(manifest) + "\n");
        } catch (IOException e) {
            throw new ForesailException("cannot write " + tmp + ": " + e.getMessage(), e);
        }
        moveAtomically(tmp, root.resolve(BarStore.MANIFEST));
        return BarStore.open(root);
    }

    private static void moveAtomically(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ForesailException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
