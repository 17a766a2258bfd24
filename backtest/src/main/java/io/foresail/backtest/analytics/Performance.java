package io.foresail.backtest.analytics;

import io.foresail.backtest.replay.BacktestResult;
import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.tape.ScoreTape;
import io.foresail.core.market.BarGrid;
import io.foresail.core.stats.Correlation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backtest's headline figures, from its daily returns (equity at each session's last bar
 * against the previous session's, the first against the starting cash) and its per-bar book.
 * Conventions follow empyrical, which a test checks them against: 252 periods a year, risk-free
 * rate 0, sample standard deviation (n-1), Sortino's downside deviation over all days, alpha
 * compounded from the daily intercept. One deliberate difference: drawdowns are measured from
 * the starting cash, so a loss on the first day counts (empyrical starts at the first day's close;
 * prepending a zero-return day to its input gives ours).
 *
 * <p>Fractions throughout (0.12 = 12 %); money in dollars; durations in sessions.
 */
public record Performance(int days, double totalReturn, double annualReturn, double annualVolatility, double sharpe,
                          double sortino, double maxDrawdown, int maxDrawdownDays, double calmar,
                          double benchmarkAnnualReturn, double excessAnnualReturn, double alpha, double beta,
                          double hitRate, double profitFactor, double turnoverPerDay, double averageGross,
                          double averageNet, double realisedIc, double realisedIcT, double costs,
                          double costBpsOfTraded, Map<String, Double> costBreakdown) {

    static final double YEAR = 252;

    /** The daily series behind the figures: session dates, returns, and the benchmark's. */
    public record Daily(List<LocalDate> dates, double[] returns, double[] benchmark, double[] equity) {
    }

    /** Session-end equity and benchmark returns. */
    public static Daily daily(BacktestResult r, BarGrid grid) {
        List<LocalDate> dates = new ArrayList<>();
        List<Double> eq = new ArrayList<>();
        List<Double> bench = new ArrayList<>();
        double lastBench = Double.NaN;
        for (int t = 0; t < r.bars(); t++) {
            int g = grid.indexOf(r.starts()[t]);
            if (!Double.isNaN(r.benchmarkClose()[t])) {
                lastBench = r.benchmarkClose()[t];
            }
            boolean last = t == r.bars() - 1 || grid.sessionIndexOf(grid.indexOf(r.starts()[t + 1])) != grid.sessionIndexOf(g);
            if (last) {
                dates.add(grid.sessionOf(g).date());
                eq.add(r.equity()[t]);
                bench.add(lastBench);
            }
        }
        int d = dates.size();
        double[] returns = new double[d];
        double[] benchmark = new double[d];
        double[] equity = new double[d];
        double firstBench = Double.NaN;
        for (int t = 0; t < r.bars() && Double.isNaN(firstBench); t++) {
            firstBench = r.benchmarkClose()[t];
        }
        for (int k = 0; k < d; k++) {
            equity[k] = eq.get(k);
            double prev = k == 0 ? r.startingCash() : eq.get(k - 1);
            returns[k] = equity[k] / prev - 1;
            double pb = k == 0 ? firstBench : bench.get(k - 1);
            benchmark[k] = pb > 0 ? bench.get(k) / pb - 1 : 0;
        }
        return new Daily(List.copyOf(dates), returns, benchmark, equity);
    }

    public static Performance of(BacktestResult r, BarGrid grid, BarTape tape, ScoreTape scores) {
        Daily daily = daily(r, grid);
        double[] ret = daily.returns();
        int n = ret.length;
        double total = daily.equity()[n - 1] / r.startingCash() - 1;
        double annual = annualReturn(ret);
        double vol = std(ret) * Math.sqrt(YEAR);
        double sharpe = sharpe(ret);
        double sortino = sortino(ret);
        double[] dd = drawdown(ret);
        double calmar = dd[0] == 0 ? Double.NaN : annual / Math.abs(dd[0]);
        double benchAnnual = annualReturn(daily.benchmark());
        double[] ab = alphaBeta(ret, daily.benchmark());
        int up = 0;
        int moved = 0;
        double gains = 0;
        double losses = 0;
        double prev = r.startingCash();
        for (int k = 0; k < n; k++) {
            double pnl = daily.equity()[k] - prev;
            prev = daily.equity()[k];
            if (ret[k] != 0) {
                moved++;
                up += ret[k] > 0 ? 1 : 0;
            }
            if (pnl > 0) {
                gains += pnl;
            } else {
                losses -= pnl;
            }
        }
        double traded = 0;
        double grossShare = 0;
        double netShare = 0;
        for (int t = 0; t < r.bars(); t++) {
            double e = r.equity()[t];
            traded += e > 0 ? r.traded()[t] / e : 0;
            grossShare += e > 0 ? r.gross()[t] / e : 0;
            netShare += e > 0 ? r.net()[t] / e : 0;
        }
        double[] ic = realisedIc(tape, scores);
        double tradedDollars = 0;
        for (double x : r.traded()) {
            tradedDollars += x;
        }
        Map<String, Double> breakdown = new LinkedHashMap<>();
        breakdown.put("commission", r.costs().commission());
        breakdown.put("spread", r.costs().spread());
        breakdown.put("slippage", r.costs().slippage());
        breakdown.put("impact", r.costs().impact());
        breakdown.put("borrow", r.costs().borrow());
        double costs = r.costs().total();
        return new Performance(n, total, annual, vol, sharpe, sortino, dd[0], (int) dd[1], calmar, benchAnnual,
                annual - benchAnnual, ab[0], ab[1], moved == 0 ? Double.NaN : (double) up / moved,
                losses == 0 ? Double.NaN : gains / losses, traded / n, grossShare / r.bars(), netShare / r.bars(), ic[0],
                ic[1], costs, tradedDollars == 0 ? 0 : costs / tradedDollars * 1e4, breakdown);
    }

    /** Compound annual growth over {@code n} days of 1/252 year. */
    public static double annualReturn(double[] r) {
        double growth = 1;
        for (double x : r) {
            growth *= 1 + x;
        }
        return Math.pow(growth, YEAR / r.length) - 1;
    }

    public static double sharpe(double[] r) {
        double s = std(r);
        return s == 0 ? Double.NaN : mean(r) / s * Math.sqrt(YEAR);
    }

    /** Mean over the root mean square of the negative days (all days in the denominator), annualised. */
    public static double sortino(double[] r) {
        double sq = 0;
        for (double x : r) {
            double d = Math.min(0, x);
            sq += d * d;
        }
        double downside = Math.sqrt(sq / r.length) * Math.sqrt(YEAR);
        return downside == 0 ? Double.NaN : mean(r) * YEAR / downside;
    }

    /** The deepest fall from a running peak that starts at the starting value, and its length in days. */
    public static double[] drawdown(double[] r) {
        double value = 1;
        double peak = 1;
        double worst = 0;
        int since = 0;
        int longest = 0;
        for (double x : r) {
            value *= 1 + x;
            if (value >= peak) {
                peak = value;
                since = 0;
            } else {
                since++;
                longest = Math.max(longest, since);
            }
            worst = Math.min(worst, value / peak - 1);
        }
        return new double[] {worst, longest};
    }

    /** empyrical's alpha (annualised by compounding the daily intercept) and beta. */
    public static double[] alphaBeta(double[] r, double[] b) {
        double mr = mean(r);
        double mb = mean(b);
        double cov = 0;
        double var = 0;
        for (int k = 0; k < r.length; k++) {
            cov += (r[k] - mr) * (b[k] - mb);
            var += (b[k] - mb) * (b[k] - mb);
        }
        double beta = var == 0 ? Double.NaN : cov / var;
        double a = 0;
        for (int k = 0; k < r.length; k++) {
            a += r[k] - beta * b[k];
        }
        a /= r.length;
        return new double[] {Math.pow(1 + a, YEAR) - 1, beta};
    }

    /** Mean per-bar Spearman IC of scores at t against returns t -> t+1, and its t-statistic. */
    public static double[] realisedIc(BarTape tape, ScoreTape scores) {
        int n = tape.symbols().size();
        double[] next = new double[n];
        double sum = 0;
        double sq = 0;
        int m = 0;
        for (int t = 0; t + 1 < tape.bars(); t++) {
            for (int i = 0; i < n; i++) {
                double c0 = tape.close()[i][t];
                double c1 = tape.close()[i][t + 1];
                next[i] = c0 > 0 && c1 > 0 ? c1 / c0 - 1 : Double.NaN;
            }
            double ic = Correlation.spearman(scores.values()[t], next);
            if (!Double.isNaN(ic)) {
                sum += ic;
                sq += ic * ic;
                m++;
            }
        }
        if (m < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = sum / m;
        double sd = Math.sqrt(Math.max(0, (sq - m * mean * mean) / (m - 1)));
        return new double[] {mean, sd == 0 ? Double.NaN : mean / sd * Math.sqrt(m)};
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Sample standard deviation (n - 1). */
    static double std(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }

    /** The figures by name, for the headline table, MLflow metrics and the tearsheet. */
    public Map<String, Double> figures() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("days", (double) days);
        m.put("total_return", totalReturn);
        m.put("annual_return", annualReturn);
        m.put("annual_volatility", annualVolatility);
        m.put("sharpe", sharpe);
        m.put("sortino", sortino);
        m.put("max_drawdown", maxDrawdown);
        m.put("max_drawdown_days", (double) maxDrawdownDays);
        m.put("calmar", calmar);
        m.put("benchmark_annual_return", benchmarkAnnualReturn);
        m.put("excess_annual_return", excessAnnualReturn);
        m.put("alpha", alpha);
        m.put("beta", beta);
        m.put("hit_rate", hitRate);
        m.put("profit_factor", profitFactor);
        m.put("turnover_per_day", turnoverPerDay);
        m.put("average_gross", averageGross);
        m.put("average_net", averageNet);
        m.put("realised_ic", realisedIc);
        m.put("realised_ic_t", realisedIcT);
        m.put("costs", costs);
        m.put("cost_bps_of_traded", costBpsOfTraded);
        costBreakdown.forEach((k, v) -> m.put("cost_" + k, v));
        return m;
    }

    /** When the figures were measured: the first and last bar. */
    public static String period(BacktestResult r) {
        return Instant.ofEpochSecond(r.starts()[0]) + " .. " + Instant.ofEpochSecond(r.starts()[r.bars() - 1]);
    }
}
