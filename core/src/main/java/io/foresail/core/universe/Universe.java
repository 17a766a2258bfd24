package io.foresail.core.universe;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.config.Yaml;
import io.foresail.core.error.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tradable symbols with their sectors, in the order the file lists them, plus the benchmark
 * (an index ETF such as SPY) that relative features and beta are measured against. The benchmark
 * is not one of {@link #equities()}.
 *
 * <pre>
 * benchmark: SPY
 * equities:
 *   - {symbol: AAPL, name: Apple Inc., sector: Information Technology}
 * </pre>
 */
public final class Universe {
    private static final String DEFAULT_RESOURCE = "foresail/config/universe.yaml";

    private final Equity benchmark;
    private final List<Equity> equities;
    private final Map<String, Equity> bySymbol;

    public Universe(Equity benchmark, List<Equity> equities) {
        this.benchmark = benchmark;
        this.equities = List.copyOf(equities);
        Map<String, Equity> map = new LinkedHashMap<>();
        for (Equity e : equities) {
            if (map.put(e.symbol(), e) != null) {
                throw new InvalidInputException("symbol " + e.symbol() + " is listed twice in the universe");
            }
        }
        if (map.containsKey(benchmark.symbol())) {
            throw new InvalidInputException("benchmark " + benchmark.symbol() + " is also listed as an equity");
        }
        if (equities.isEmpty()) {
            throw new InvalidInputException("the universe lists no equities");
        }
        this.bySymbol = map;
    }

    /** Loads a universe file; errors name the file and field. */
    public static Universe load(Path file) {
        return Yaml.read(file, UniverseFile.class).toUniverse(file);
    }

    /** The default universe shipped as {@code config/universe.yaml} and embedded in the build. */
    public static Universe defaultUniverse() {
        return Yaml.readResource(DEFAULT_RESOURCE, UniverseFile.class).toUniverse(Path.of(DEFAULT_RESOURCE));
    }

    /** {@code file} when given, else the embedded default. */
    public static Universe loadOrDefault(Path file) {
        return file == null ? defaultUniverse() : load(file);
    }

    public Equity benchmark() {
        return benchmark;
    }

    public List<Equity> equities() {
        return equities;
    }

    public Optional<Equity> equity(String symbol) {
        return Optional.ofNullable(bySymbol.get(symbol));
    }

    /** Equity symbols followed by the benchmark. */
    public List<String> allSymbols() {
        List<String> out = new ArrayList<>(bySymbol.keySet());
        out.add(benchmark.symbol());
        return out;
    }

    /** The sector of a symbol; the benchmark's is {@link Sector#BENCHMARK}. */
    public Sector sectorOf(String symbol) {
        if (symbol.equals(benchmark.symbol())) {
            return Sector.BENCHMARK;
        }
        Equity e = bySymbol.get(symbol);
        if (e == null) {
            throw new InvalidInputException("symbol " + symbol + " is not in the universe");
        }
        return e.sector();
    }

    /** The universe's file form. */
    record UniverseFile(@JsonProperty(value = "benchmark", required = true) String benchmark,
                        @JsonProperty("benchmark_name") String benchmarkName,
                        @JsonProperty(value = "equities", required = true) List<EquityEntry> equities) {

        Universe toUniverse(Path file) {
            try {
                return new Universe(new Equity(benchmark, benchmarkName, Sector.BENCHMARK),
                        equities.stream().map(EquityEntry::toEquity).toList());
            } catch (InvalidInputException e) {
                throw new InvalidInputException(file + ": " + e.getMessage(), e);
            }
        }
    }

    record EquityEntry(@JsonProperty(value = "symbol", required = true) String symbol,
                       @JsonProperty("name") String name,
                       @JsonProperty(value = "sector", required = true) Sector sector) {
        Equity toEquity() {
            return new Equity(symbol, name, sector);
        }
    }
}
