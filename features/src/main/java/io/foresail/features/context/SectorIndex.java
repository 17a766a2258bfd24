package io.foresail.features.context;

import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Sector;
import io.foresail.core.universe.Universe;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each equity's sector as a dense index 0..{@code count}-1, in the order of the {@link Sector} enum
 * over the sectors the universe holds: the key of the sector-relative context, the same in the
 * batch job and the live engine.
 *
 * @param bySymbol sector index per equity symbol, in symbol order
 * @param count    sectors present; at least 1
 */
public record SectorIndex(Map<String, Integer> bySymbol, int count) {
    public SectorIndex {
        bySymbol = Collections.unmodifiableMap(new TreeMap<>(bySymbol));
    }

    public static SectorIndex of(Universe universe) {
        List<Sector> present = universe.equities().stream().map(Equity::sector).distinct().sorted().toList();
        Map<String, Integer> out = new TreeMap<>();
        universe.equities().forEach(e -> out.put(e.symbol(), present.indexOf(e.sector())));
        return new SectorIndex(out, Math.max(1, present.size()));
    }
}
