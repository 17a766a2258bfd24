package io.foresail.data.synth;

import io.foresail.data.store.BarSeries;
import io.foresail.data.validate.Rule;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plants known defects into a copy of clean bars, for validation tests: duplicates, out-of-order
 * rows, OHLC violations, negative volume, NaN prices and short runs of missing bars. Each defect is
 * placed at least {@value #SPACING} rows from any other and away from session edges' neighbours,
 * so each one's effect on the validator is exactly predictable. Deterministic for a seed.
 */
public final class FaultInjector {
    static final int SPACING = 12;
    private final int perKind;
    private final long seed;

    /** @param perKind how many defects of each kind to plant over the whole market */
    public FaultInjector(int perKind, long seed) {
        this.perKind = perKind;
        this.seed = seed;
    }

    /** The faulty copy and the list of planted faults. */
    public record Outcome(List<BarSeries> series, List<InjectedFault> faults) {
    }

    public Outcome inject(List<BarSeries> clean) {
        SplittableRandom rng = new SplittableRandom(seed);
        InjectedFault.Kind[] kinds = InjectedFault.Kind.values();
        // Choose the rows first, so placements do not depend on earlier edits.
        List<List<int[]>> plan = new ArrayList<>();
        List<BitSet> used = new ArrayList<>();
        for (BarSeries s : clean) {
            plan.add(new ArrayList<>());
            used.add(new BitSet(s.size()));
        }
        for (InjectedFault.Kind kind : kinds) {
            for (int k = 0; k < perKind; k++) {
                for (int attempt = 0; attempt < 1000; attempt++) {
                    int s = rng.nextInt(clean.size());
                    int n = clean.get(s).size();
                    if (n < 4 * SPACING) {
                        continue;
                    }
                    int row = SPACING + rng.nextInt(n - 2 * SPACING);
                    BitSet u = used.get(s);
                    if (u.get(Math.max(0, row - SPACING), Math.min(n, row + SPACING)).isEmpty()) {
                        u.set(row);
                        plan.get(s).add(new int[] {row, kind.ordinal(), 1 + rng.nextInt(3)});
                        break;
                    }
                }
            }
        }
        List<BarSeries> out = new ArrayList<>();
        List<InjectedFault> faults = new ArrayList<>();
        for (int s = 0; s < clean.size(); s++) {
            BarSeries src = clean.get(s);
            int[][] at = new int[src.size()][];
            for (int[] p : plan.get(s)) {
                at[p[0]] = p;
            }
            BarSeries.Builder b = BarSeries.builder(src.symbol(), src.size() + 8);
            int i = 0;
            while (i < src.size()) {
                int[] p = at[i];
                if (p == null) {
                    b.add(src, i++);
                    continue;
                }
                InjectedFault.Kind kind = kinds[p[1]];
                switch (kind) {
                    case DUPLICATE -> {
                        b.add(src, i);
                        b.add(src, i);
                        faults.add(new InjectedFault(src.symbol(), src.start(i), kind, Rule.DUPLICATE,
                                "row repeated"));
                        i++;
                    }
                    case OUT_OF_ORDER -> {
                        // Rows i and i+1 swapped: i+1 is accepted first, so row i arrives late.
                        b.add(src, i + 1);
                        b.add(src, i);
                        faults.add(new InjectedFault(src.symbol(), src.start(i), kind, Rule.OUT_OF_ORDER,
                                "swapped with the next row"));
                        i += 2;
                    }
                    case OHLC_VIOLATION -> {
                        double low = src.low(i);
                        b.add(src.tsMicros(i), src.open(i), low * 0.99, low, src.close(i), src.volume(i),
                                Double.NaN, src.tradeCount(i));
                        faults.add(new InjectedFault(src.symbol(), src.start(i), kind, Rule.OHLC,
                                "high set below low"));
                        i++;
                    }
                    case NEGATIVE_VOLUME -> {
                        b.add(src.tsMicros(i), src.open(i), src.high(i), src.low(i), src.close(i), -src.volume(i),
                                src.vwap(i), src.tradeCount(i));
                        faults.add(new InjectedFault(src.symbol(), src.start(i), kind, Rule.VOLUME,
                                "volume negated"));
                        i++;
                    }
                    case NAN_PRICE -> {
                        b.add(src.tsMicros(i), src.open(i), src.high(i), src.low(i), Double.NaN, src.volume(i),
                                src.vwap(i), src.tradeCount(i));
                        faults.add(new InjectedFault(src.symbol(), src.start(i), kind, Rule.PRICE, "close set to NaN"));
                        i++;
                    }
                    case MISSING_BARS -> {
                        int run = p[2];
                        faults.add(new InjectedFault(src.symbol(), src.start(i), kind, null,
                                run + " bar(s) removed"));
                        i += run;
                    }
                    default -> throw new IllegalStateException(kind.name());
                }
            }
            out.add(b.build());
        }
        return new Outcome(out, faults);
    }
}
