package io.foresail.features.expr;

import io.foresail.features.kernel.BarInput;
import io.foresail.features.kernel.Requirement;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The operators of the expression language, named and defined as in qlib where qlib has them
 * ({@code Ref, Mean, Sum, Std, Slope, Rsquare, Resi, Max, Min, IdxMax, IdxMin, Quantile, Rank, Corr,
 * Greater, Less, Abs, Log}), plus the exponential smoothers technical indicators need.
 *
 * <p>Definition choices (documented in docs/features.md): rolling operators need a full window
 * (qlib uses {@code min_periods=1}; we return NaN until the window is full, so early values are
 * never computed from fewer bars than their name says); {@code Std} is the sample deviation
 * (ddof = 1) as in qlib/pandas; {@code IdxMax}/{@code IdxMin} are 1-based from the oldest bar,
 * first occurrence; {@code Rank} is the percentile rank of the newest value with ties averaged.
 */
public final class Ops {
    /** Bumped whenever an operator's arithmetic changes; part of every expression kernel's version. */
    public static final String VERSION = "ops/1";

    private Ops() {
    }

    // ---- leaves -------------------------------------------------------------------------------

    public static Expr open() {
        return leaf("$open", BarInput::open, Set.of());
    }

    public static Expr high() {
        return leaf("$high", BarInput::high, Set.of());
    }

    public static Expr low() {
        return leaf("$low", BarInput::low, Set.of());
    }

    public static Expr close() {
        return leaf("$close", BarInput::close, Set.of());
    }

    public static Expr volume() {
        return leaf("$volume", BarInput::volume, Set.of());
    }

    public static Expr vwap() {
        return leaf("$vwap", BarInput::vwap, Set.of());
    }

    public static Expr benchmarkReturn() {
        return leaf("$bench_ret", BarInput::benchmarkReturn, Set.of(Requirement.BENCHMARK));
    }

    public static Expr sectorReturn() {
        return leaf("$sector_ret", BarInput::sectorReturn, Set.of(Requirement.SECTOR));
    }

    public static Expr constant(double value) {
        String text = value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : Double.toString(value);
        return new Expr() {
            @Override
            public Node node() {
                return bar -> value;
            }

            @Override
            public int warmUp() {
                return 1;
            }

            @Override
            public String formula() {
                return text;
            }
        };
    }

    private static Expr leaf(String name, ToDoubleFunction<BarInput> field, Set<Requirement> requirements) {
        return new Expr() {
            @Override
            public Node node() {
                return field::applyAsDouble;
            }

            @Override
            public int warmUp() {
                return 1;
            }

            @Override
            public String formula() {
                return name;
            }

            @Override
            public Set<Requirement> requirements() {
                return requirements;
            }
        };
    }

    // ---- element-wise -------------------------------------------------------------------------

    public static Expr add(Expr a, Expr b) {
        return binary("(" + a.formula() + "+" + b.formula() + ")", a, b, Double::sum);
    }

    public static Expr sub(Expr a, Expr b) {
        return binary("(" + a.formula() + "-" + b.formula() + ")", a, b, (x, y) -> x - y);
    }

    public static Expr mul(Expr a, Expr b) {
        return binary(a.formula() + "*" + b.formula(), a, b, (x, y) -> x * y);
    }

    /** {@code a / b}; NaN when {@code b} is zero. */
    public static Expr div(Expr a, Expr b) {
        return binary(a.formula() + "/" + b.formula(), a, b, (x, y) -> y == 0.0 ? Double.NaN : x / y);
    }

    /** {@code a / (b + 1e-12)} as qlib writes its guarded ratios. */
    public static Expr divGuarded(Expr a, Expr b) {
        return binary(a.formula() + "/(" + b.formula() + "+1e-12)", a, b, (x, y) -> x / (y + 1e-12));
    }

    public static Expr greater(Expr a, Expr b) {
        return binary("Greater(" + a.formula() + "," + b.formula() + ")", a, b, Math::max);
    }

    public static Expr less(Expr a, Expr b) {
        return binary("Less(" + a.formula() + "," + b.formula() + ")", a, b, Math::min);
    }

    /** 1 where {@code a > b}, 0 where not, NaN where either is NaN. */
    public static Expr gt(Expr a, Expr b) {
        return binary(a.formula() + ">" + b.formula(), a, b,
                (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : (x > y ? 1.0 : 0.0));
    }

    public static Expr lt(Expr a, Expr b) {
        return binary(a.formula() + "<" + b.formula(), a, b,
                (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : (x < y ? 1.0 : 0.0));
    }

    public static Expr abs(Expr a) {
        return unary("Abs(" + a.formula() + ")", a, Math::abs);
    }

    /** Natural log; NaN for non-positive input. */
    public static Expr log(Expr a) {
        return unary("Log(" + a.formula() + ")", a, x -> x > 0 ? Math.log(x) : Double.NaN);
    }

    public static Expr sqrt(Expr a) {
        return unary("Sqrt(" + a.formula() + ")", a, x -> x >= 0 ? Math.sqrt(x) : Double.NaN);
    }

    public static Expr sign(Expr a) {
        return unary("Sign(" + a.formula() + ")", a, Math::signum);
    }

    private static Expr unary(String formula, Expr a, DoubleUnaryOperator f) {
        return new Expr() {
            @Override
            public Node node() {
                Node na = a.node();
                return bar -> f.applyAsDouble(na.next(bar));
            }

            @Override
            public int warmUp() {
                return a.warmUp();
            }

            @Override
            public String formula() {
                return formula;
            }

            @Override
            public Set<Requirement> requirements() {
                return a.requirements();
            }
        };
    }

    /** An element-wise combination of two expressions under a given formula text. */
    public static Expr combine(String formula, Expr a, Expr b, DoubleBinaryOperator f) {
        return binary(formula, a, b, f);
    }

    private static Expr binary(String formula, Expr a, Expr b, DoubleBinaryOperator f) {
        Set<Requirement> req = union(a.requirements(), b.requirements());
        return new Expr() {
            @Override
            public Node node() {
                Node na = a.node();
                Node nb = b.node();
                return bar -> {
                    double x = na.next(bar);
                    double y = nb.next(bar);
                    return f.applyAsDouble(x, y);
                };
            }

            @Override
            public int warmUp() {
                return Math.max(a.warmUp(), b.warmUp());
            }

            @Override
            public String formula() {
                return formula;
            }

            @Override
            public Set<Requirement> requirements() {
                return req;
            }
        };
    }

    static Set<Requirement> union(Set<Requirement> a, Set<Requirement> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        EnumSet<Requirement> s = EnumSet.copyOf(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    // ---- time series --------------------------------------------------------------------------

    /**
     * The previous bar's value; at the first bar, the current value (ta4j's convention for
     * gains, losses, true range and directional movement, so a first change is zero, not undefined).
     */
    public static Expr prev(Expr x) {
        return new Expr() {
            @Override
            public Node node() {
                Node nx = x.node();
                return new Node() {
                    private double last = Double.NaN;

                    @Override
                    public double next(BarInput bar) {
                        double v = nx.next(bar);
                        double p = Double.isNaN(last) ? v : last;
                        last = v;
                        return p;
                    }
                };
            }

            @Override
            public int warmUp() {
                return x.warmUp();
            }

            @Override
            public String formula() {
                return "Prev(" + x.formula() + ")";
            }

            @Override
            public Set<Requirement> requirements() {
                return x.requirements();
            }
        };
    }

    /** {@code x - Prev(x)}: zero at the first bar. */
    public static Expr diff(Expr x) {
        return named("Diff(" + x.formula() + ")", sub(x, prev(x)));
    }

    /** Sample variance (ddof = 1). */
    public static Expr var(Expr x, int d) {
        checkWindow(d, 2);
        return moments("Var", x, d, m -> m.sampleVariance());
    }

    /** Mean absolute deviation from the window mean (the CCI denominator). */
    public static Expr meanDeviation(Expr x, int d) {
        return scan("MeanDev", x, d, (buf, n) -> {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += buf.get(i);
            }
            mean /= n;
            double dev = 0;
            for (int i = 0; i < n; i++) {
                dev += Math.abs(buf.get(i) - mean);
            }
            return dev / n;
        });
    }

    /** The value {@code d} bars ago. */
    public static Expr ref(Expr x, int d) {
        checkWindow(d, 1);
        return new Rolling("Ref", x, d, x.warmUp() + d) {
            @Override
            public Node node() {
                Node nx = x.node();
                RingBuffer buf = new RingBuffer(d + 1);
                return bar -> {
                    buf.push(nx.next(bar));
                    return buf.full() ? buf.get(0) : Double.NaN;
                };
            }
        };
    }

    public static Expr mean(Expr x, int d) {
        return moments("Mean", x, d, m -> m.mean());
    }

    public static Expr sum(Expr x, int d) {
        return moments("Sum", x, d, m -> m.sum());
    }

    /** Sample standard deviation (ddof = 1). */
    public static Expr std(Expr x, int d) {
        checkWindow(d, 2);
        return moments("Std", x, d, m -> Math.sqrt(m.sampleVariance()));
    }

    /** Population standard deviation (ddof = 0), as Bollinger bands use it. */
    public static Expr stdPopulation(Expr x, int d) {
        return moments("StdP", x, d, m -> Math.sqrt(m.populationVariance()));
    }

    /** Slope of the least-squares line of x against the bar index 1..d. */
    public static Expr slope(Expr x, int d) {
        checkWindow(d, 2);
        return moments("Slope", x, d, m -> m.indexCovariance() / m.indexSquares());
    }

    /** R² of that line; NaN when x is constant over the window. */
    public static Expr rsquare(Expr x, int d) {
        checkWindow(d, 2);
        return moments("Rsquare", x, d, m -> {
            double syy = m.centeredSquares();
            double mean = m.mean();
            if (syy <= 1e-24 * Math.max(1.0, mean * mean) * m.window.size()) {
                return Double.NaN;
            }
            double sxy = m.indexCovariance();
            double r2 = sxy * sxy / (m.indexSquares() * syy);
            return Math.min(1.0, r2);
        });
    }

    /** The newest value's residual from that line. */
    public static Expr resi(Expr x, int d) {
        checkWindow(d, 2);
        return moments("Resi", x, d, m -> {
            int n = m.window.size();
            double slope = m.indexCovariance() / m.indexSquares();
            return (m.window.newest() - m.mean()) - slope * (n - (n + 1) / 2.0);
        });
    }

    private static Expr moments(String op, Expr x, int d, ToDoubleFunction<RollingMoments> f) {
        checkWindow(d, 1);
        return new Rolling(op, x, d, x.warmUp() + d - 1) {
            @Override
            public Node node() {
                Node nx = x.node();
                RollingMoments m = new RollingMoments(d);
                return bar -> {
                    m.push(nx.next(bar));
                    return m.valid() ? f.applyAsDouble(m) : Double.NaN;
                };
            }
        };
    }

    public static Expr max(Expr x, int d) {
        return scan("Max", x, d, (buf, n) -> {
            double best = buf.get(0);
            for (int i = 1; i < n; i++) {
                best = Math.max(best, buf.get(i));
            }
            return best;
        });
    }

    public static Expr min(Expr x, int d) {
        return scan("Min", x, d, (buf, n) -> {
            double best = buf.get(0);
            for (int i = 1; i < n; i++) {
                best = Math.min(best, buf.get(i));
            }
            return best;
        });
    }

    /** 1-based position, from the oldest bar, of the window's maximum (first occurrence). */
    public static Expr idxMax(Expr x, int d) {
        return scan("IdxMax", x, d, (buf, n) -> {
            int at = 0;
            double best = buf.get(0);
            for (int i = 1; i < n; i++) {
                double v = buf.get(i);
                if (v > best) {
                    best = v;
                    at = i;
                }
            }
            return at + 1;
        });
    }

    public static Expr idxMin(Expr x, int d) {
        return scan("IdxMin", x, d, (buf, n) -> {
            int at = 0;
            double best = buf.get(0);
            for (int i = 1; i < n; i++) {
                double v = buf.get(i);
                if (v < best) {
                    best = v;
                    at = i;
                }
            }
            return at + 1;
        });
    }

    private interface WindowFunction {
        double apply(RingBuffer buf, int n);
    }

    private static Expr scan(String op, Expr x, int d, WindowFunction f) {
        checkWindow(d, 1);
        return new Rolling(op, x, d, x.warmUp() + d - 1) {
            @Override
            public Node node() {
                Node nx = x.node();
                RingBuffer buf = new RingBuffer(d);
                return bar -> {
                    buf.push(nx.next(bar));
                    return buf.valid() ? f.apply(buf, d) : Double.NaN;
                };
            }
        };
    }

    /** The q-quantile over the window, linearly interpolated. */
    public static Expr quantile(Expr x, int d, double q) {
        checkWindow(d, 1);
        String op = "Quantile";
        return new Rolling(op, x, d, x.warmUp() + d - 1) {
            @Override
            public Node node() {
                Node nx = x.node();
                SortedWindow w = new SortedWindow(d);
                return bar -> {
                    w.push(nx.next(bar));
                    return w.valid() ? w.quantile(q) : Double.NaN;
                };
            }

            @Override
            public String formula() {
                return "Quantile(" + x.formula() + "," + d + "," + q + ")";
            }
        };
    }

    /** The newest value's percentile rank in the window, in (0, 1]. */
    public static Expr rank(Expr x, int d) {
        checkWindow(d, 1);
        return new Rolling("Rank", x, d, x.warmUp() + d - 1) {
            @Override
            public Node node() {
                Node nx = x.node();
                SortedWindow w = new SortedWindow(d);
                return bar -> {
                    double v = nx.next(bar);
                    w.push(v);
                    return w.valid() ? w.rankOf(v) : Double.NaN;
                };
            }
        };
    }

    /** Pearson correlation of two series over the window; NaN when either is constant. */
    public static Expr corr(Expr x, Expr y, int d) {
        return pair("Corr", x, y, d, RollingCovariance::correlation);
    }

    /** Least-squares slope of y on x over the window (a beta when both are returns). */
    public static Expr regressionSlope(Expr y, Expr x, int d) {
        return pair("Beta", y, x, d, RollingCovariance::slopeOnSecond);
    }

    private static Expr pair(String op, Expr a, Expr b, int d, ToDoubleFunction<RollingCovariance> f) {
        checkWindow(d, 2);
        Set<Requirement> req = union(a.requirements(), b.requirements());
        int warm = Math.max(a.warmUp(), b.warmUp()) + d - 1;
        return new Expr() {
            @Override
            public Node node() {
                Node na = a.node();
                Node nb = b.node();
                RollingCovariance c = new RollingCovariance(d);
                return bar -> {
                    double va = na.next(bar);
                    c.push(va, nb.next(bar));
                    return c.valid() ? f.applyAsDouble(c) : Double.NaN;
                };
            }

            @Override
            public int warmUp() {
                return warm;
            }

            @Override
            public String formula() {
                return op + "(" + a.formula() + "," + b.formula() + "," + d + ")";
            }

            @Override
            public Set<Requirement> requirements() {
                return req;
            }
        };
    }

    /**
     * Exponential smoothing {@code s = s + alpha (x - s)}, seeded with the first input, as ta4j's
     * EMA/MMA do. The seed's weight after k bars is (1 - alpha)^k; {@code warmUp} is where it
     * falls below 1e-8, so values after warm-up do not depend on where history started.
     */
    public static Expr ema(Expr x, double alpha, String label) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("smoothing factor must be in (0, 1], got " + alpha);
        }
        int warm = x.warmUp() + seedDecayBars(alpha);
        return new Expr() {
            @Override
            public Node node() {
                Node nx = x.node();
                return new Node() {
                    private double state = Double.NaN;

                    @Override
                    public double next(BarInput bar) {
                        double v = nx.next(bar);
                        if (Double.isNaN(v)) {
                            return Double.NaN;
                        }
                        state = Double.isNaN(state) ? v : state + alpha * (v - state);
                        return state;
                    }
                };
            }

            @Override
            public int warmUp() {
                return warm;
            }

            @Override
            public String formula() {
                return label + "(" + x.formula() + ")";
            }

            @Override
            public Set<Requirement> requirements() {
                return x.requirements();
            }
        };
    }

    /** EMA with {@code alpha = 2 / (n + 1)}. */
    public static Expr ema(Expr x, int n) {
        checkWindow(n, 1);
        return ema(x, 2.0 / (n + 1), "EMA" + n);
    }

    /** Wilder's smoothing (ta4j's MMA), {@code alpha = 1 / n}. */
    public static Expr wilder(Expr x, int n) {
        checkWindow(n, 1);
        return ema(x, 1.0 / n, "Wilder" + n);
    }

    /** Bars until a seed's weight (1 - alpha)^k falls below 1e-8. */
    public static int seedDecayBars(double alpha) {
        if (alpha >= 1) {
            return 0;
        }
        return (int) Math.ceil(Math.log(1e-8) / Math.log(1 - alpha));
    }

    static void checkWindow(int d, int min) {
        if (d < min) {
            throw new IllegalArgumentException("window must be at least " + min + ", got " + d);
        }
    }

    /** Replaces warm-up and formula of an expression, e.g. to give a composite a readable name. */
    public static Expr named(String formula, Expr x) {
        return new Expr() {
            @Override
            public Node node() {
                return x.node();
            }

            @Override
            public int warmUp() {
                return x.warmUp();
            }

            @Override
            public String formula() {
                return formula;
            }

            @Override
            public Set<Requirement> requirements() {
                return x.requirements();
            }
        };
    }

    private abstract static class Rolling implements Expr {
        private final String op;
        private final Expr x;
        private final int d;
        private final int warm;

        Rolling(String op, Expr x, int d, int warm) {
            this.op = op;
            this.x = x;
            this.d = d;
            this.warm = warm;
        }

        @Override
        public int warmUp() {
            return warm;
        }

        @Override
        public String formula() {
            return String.format(Locale.ROOT, "%s(%s,%d)", op, x.formula(), d);
        }

        @Override
        public Set<Requirement> requirements() {
            return x.requirements();
        }
    }
}
