package io.foresail.features.label;

import io.foresail.core.market.BarGrid;
import io.foresail.features.context.BenchmarkReturns;
import io.foresail.features.spec.LabelSpec;

/**
 * Computes the labels of one symbol's bars. The only code in Foresail that reads future bars, and
 * labels are never inputs to features. Horizons count bars on the calendar grid, so a 26-bar label
 * on 15-minute bars spans one night; a label whose span has a bar missing from the symbol's data
 * (a halt, a gap) is NaN rather than a return over a different span. Excess labels subtract the
 * benchmark's return over the same span, NaN when the benchmark lacks either end.
 */
public final class Labeler {
    private final LabelSpec spec;
    private final BarGrid grid;
    private final BenchmarkReturns benchmark;

    public Labeler(LabelSpec spec, BarGrid grid, BenchmarkReturns benchmark) {
        this.spec = spec;
        this.grid = grid;
        this.benchmark = benchmark;
    }

    /**
     * Labels of each bar: {@code out[k][i]} for label column k (in {@link LabelSpec#names()} order) and row i.
     *
     * @param gridIndex each bar's index on the grid, ascending
     * @param close     each bar's close
     */
    public double[][] labels(int[] gridIndex, double[] close) {
        int n = close.length;
        double[][] out = new double[spec.names().size()][n];
        int col = 0;
        for (int h : spec.horizons()) {
            double[] raw = out[col++];
            double[] excess = spec.excess() ? out[col++] : null;
            double[] direction = spec.direction() ? out[col++] : null;
            for (int i = 0; i < n; i++) {
                int j = i + h;
                double r = Double.NaN;
                if (j < n && gridIndex[j] == gridIndex[i] + h && close[i] > 0) {
                    r = close[j] / close[i] - 1;
                }
                raw[i] = r;
                if (excess != null) {
                    double e = Double.NaN;
                    if (!Double.isNaN(r) && gridIndex[i] + h < grid.size()) {
                        double b0 = benchmark.closeAt(grid.startEpochSecond(gridIndex[i]) * 1_000_000L);
                        double b1 = benchmark.closeAt(grid.startEpochSecond(gridIndex[i] + h) * 1_000_000L);
                        if (b0 > 0 && b1 > 0) {
                            e = r - (b1 / b0 - 1);
                        }
                    }
                    excess[i] = e;
                }
                if (direction != null) {
                    direction[i] = Double.isNaN(r) ? Double.NaN : (r > 0 ? 1.0 : 0.0);
                }
            }
        }
        return out;
    }
}
