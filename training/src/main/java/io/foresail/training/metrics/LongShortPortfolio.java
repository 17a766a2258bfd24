package io.foresail.training.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The daily top-minus-bottom-decile portfolio of {@link Evaluation}: at each session's first bar,
 * long the top 10 % of predictions and short the bottom 10 % (at least one name each), equal weight
 * 1/k per side, held for one session. Turnover compares each symbol's weight with the day before.
 */
final class LongShortPortfolio {
    private LongShortPortfolio() {
    }

    /** {gross Sharpe, net Sharpe, days}; Sharpe annualised with √252, NaN for fewer than 2 days. */
    static double[] sharpe(long[] ts, int[] symbol, double[] prediction, double[] dayReturn, double costBps) {
        int n = ts.length;
        double[] gross = new double[n];
        double[] net = new double[n];
        int days = 0;
        Map<Integer, Double> previous = new HashMap<>();
        long lastDay = Long.MIN_VALUE;
        for (int from = 0; from < n; ) {
            int to = from;
            while (to < n && ts[to] == ts[from]) {
                to++;
            }
            long day = Evaluation.dayOf(ts[from]);
            if (day != lastDay) {
                lastDay = day;
                Integer[] idx = new Integer[to - from];
                int m = 0;
                for (int i = from; i < to; i++) {
                    if (!Double.isNaN(dayReturn[i]) && !Double.isNaN(prediction[i])) {
                        idx[m++] = i;
                    }
                }
                if (m >= 2) {
                    Integer[] rows = Arrays.copyOf(idx, m);
                    Arrays.sort(rows, (a, b) -> Double.compare(prediction[a], prediction[b]));
                    int k = Math.max(1, (int) Math.round(m * 0.1));
                    double longs = 0;
                    double shorts = 0;
                    Map<Integer, Double> weights = new HashMap<>();
                    for (int i = 0; i < k; i++) {
                        shorts += dayReturn[rows[i]];
                        longs += dayReturn[rows[m - 1 - i]];
                        weights.merge(symbol[rows[i]], -1.0 / k, Double::sum);
                        weights.merge(symbol[rows[m - 1 - i]], 1.0 / k, Double::sum);
                    }
                    double turnover = 0;
                    for (Map.Entry<Integer, Double> e : weights.entrySet()) {
                        turnover += Math.abs(e.getValue() - previous.getOrDefault(e.getKey(), 0.0));
                    }
                    for (Map.Entry<Integer, Double> e : previous.entrySet()) {
                        if (!weights.containsKey(e.getKey())) {
                            turnover += Math.abs(e.getValue());
                        }
                    }
                    previous = weights;
                    gross[days] = (longs - shorts) / k;
                    net[days] = gross[days] - turnover * costBps / 1e4;
                    days++;
                }
            }
            from = to;
        }
        return new double[] {annualised(gross, days), annualised(net, days), days};
    }

    private static double annualised(double[] r, int n) {
        if (n < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += r[i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (r[i] - mean) * (r[i] - mean);
        }
        double sd = Math.sqrt(var / (n - 1));
        return sd == 0 ? Double.NaN : mean / sd * Math.sqrt(252);
    }
}
