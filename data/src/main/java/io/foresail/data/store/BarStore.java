package io.foresail.data.store;

import io.foresail.core.io.Sha256;
import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Timeframe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A directory of bars: {@code manifest.json} plus one Parquet file per symbol under {@code bars/}
 * (schema in {@link ParquetBarFile}). Spark reads {@code <dir>/bars} directly.
 *
 * <p>A store is read through {@link #open} and written through {@link BarStoreWriter}. Files are
 * replaced atomically (write, then rename) and the manifest is written last, so a store is never
 * seen half-written: after a crash it still describes the files it names. Instances are immutable
 * views of one manifest; thread-safe.
 */
public final class BarStore {
    public static final String MANIFEST = "manifest.json";
    public static final String BARS_DIR = "bars";


    private final Path root;
    private final BarStoreManifest manifest;

    private BarStore(Path root, BarStoreManifest manifest) {
        this.root = root;
        this.manifest = manifest;
    }

    /** Opens the store at {@code root}; a clear error when there is none. */
    public static BarStore open(Path root) {
        return new BarStore(root, readManifest(root));
    }

    /** True when {@code root} holds a bar-store manifest. */
    public static boolean exists(Path root) {
        return Files.isRegularFile(root.resolve(MANIFEST));
    }

    static BarStoreManifest readManifest(Path root) {
        Path file = root.resolve(MANIFEST);
        try {
            BarStoreManifest m = Json.MAPPER.readerFor(BarStoreManifest.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(Files.readString(file));
            if (!BarStoreManifest.FORMAT.equals(m.format())) {
                throw new InvalidInputException(file + ": unsupported format '" + m.format()
                        + "', expected " + BarStoreManifest.FORMAT);
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(root + " is not a bar store: " + MANIFEST + " is missing");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": unreadable manifest: " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    public BarStoreManifest manifest() {
        return manifest;
    }

    public Timeframe timeframe() {
        return Timeframe.parse(manifest.timeframe());
    }

    public Adjustment adjustment() {
        return manifest.adjustment();
    }

    /** Symbols in the store, sorted. */
    public List<String> symbols() {
        return manifest.symbols().stream().map(BarStoreManifest.SymbolEntry::symbol).toList();
    }

    public Optional<BarStoreManifest.SymbolEntry> entry(String symbol) {
        return manifest.symbols().stream().filter(e -> e.symbol().equals(symbol)).findFirst();
    }

    /** Reads one symbol's bars in stored order. */
    public BarSeries read(String symbol) {
        BarStoreManifest.SymbolEntry e = entry(symbol).orElseThrow(() -> new InvalidInputException(
                "symbol " + symbol + " is not in the bar store at " + root + "; it holds " + symbols()));
        BarSeries s = ParquetBarFile.read(root.resolve(e.file()), symbol);
        if (s.size() != e.rows()) {
            throw new ForesailException(root.resolve(e.file()) + ": holds " + s.size()
                    + " rows but the manifest says " + e.rows());
        }
        return s;
    }

    /** Reads every symbol, in parallel; the list is in symbol order. */
    public List<BarSeries> readAll() {
        List<String> symbols = symbols();
        BarSeries[] out = new BarSeries[symbols.size()];
        IntStream.range(0, out.length).parallel().forEach(i -> out[i] = read(symbols.get(i)));
        return List.of(out);
    }

    /**
     * Re-reads every file and checks its bytes and content against the manifest. Returns the
     * problems found, empty when the store is intact.
     */
    public List<String> verify() {
        Map<Integer, String> problems = new ConcurrentHashMap<>();
        List<BarStoreManifest.SymbolEntry> entries = manifest.symbols();
        IntStream.range(0, entries.size()).parallel().forEach(i -> {
            BarStoreManifest.SymbolEntry e = entries.get(i);
            Path file = root.resolve(e.file());
            if (!Files.isRegularFile(file)) {
                problems.put(i, e.symbol() + ": file " + file + " is missing");
                return;
            }
            if (!Sha256.ofFile(file).equals(e.fileSha256())) {
                problems.put(i, e.symbol() + ": file " + file + " does not match its SHA-256 in the manifest");
                return;
            }
            if (!ContentHash.of(read(e.symbol())).equals(e.contentSha256())) {
                problems.put(i, e.symbol() + ": content does not match its content hash in the manifest");
            }
        });
        List<String> out = new ArrayList<>();
        problems.keySet().stream().sorted().forEach(k -> out.add(problems.get(k)));
        return out;
    }
}
