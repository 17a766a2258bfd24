package io.foresail.features.expr;

import io.foresail.features.kernel.BarInput;
import io.foresail.features.kernel.Requirement;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import java.util.function.IntFunction;

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
    public static final String VERSION = "ops/3";

    private Ops() {
    }

    // ---- leaves -------------------------------------------------------------------------------

    private enum Field { OPEN, HIGH, LOW, CLOSE, VOLUME, VWAP, BENCHMARK_RETURN, SECTOR_RETURN }

    public static Expr open() {
        return leaf("$open", Field.OPEN, Set.of());
    }

    public static Expr high() {
        return leaf("$high", Field.HIGH, Set.of());
    }

    public static Expr low() {
        return leaf("$low", Field.LOW, Set.of());
    }

    public static Expr close() {
        return leaf("$close", Field.CLOSE, Set.of());
    }

    public static Expr volume() {
        return leaf("$volume", Field.VOLUME, Set.of());
    }

    public static Expr vwap() {
        return leaf("$vwap", Field.VWAP, Set.of());
    }

    public static Expr benchmarkReturn() {
        return leaf("$bench_ret", Field.BENCHMARK_RETURN, Set.of(Requirement.BENCHMARK));
    }

    public static Expr sectorReturn() {
        return leaf("$sector_ret", Field.SECTOR_RETURN, Set.of(Requirement.SECTOR));
    }

    public static Expr constant(double value) {
        String text = value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : Double.toString(value);
        return new Op(text, "Const(" + value + ")", 1, Set.of(), g -> (bar, v) -> value);
    }

    private static Expr leaf(String name, Field field, Set<Requirement> requirements) {
        return new Op(name, name, 1, requirements, g -> (bar, v) -> switch (field) {
            case OPEN -> bar.open();
            case HIGH -> bar.high();
            case LOW -> bar.low();
            case CLOSE -> bar.close();
            case VOLUME -> bar.volume();
            case VWAP -> bar.vwap();
            case BENCHMARK_RETURN -> bar.benchmarkReturn();
            case SECTOR_RETURN -> bar.sectorReturn();
        });
    }

    // ---- element-wise -------------------------------------------------------------------------

    /** Element-wise binary operators; one node class switches on them, so the hot loop stays monomorphic. */
    private enum Binary { ADD, SUB, MUL, DIV, DIV_GUARDED, GREATER, LESS, GT, LT }

    public static Expr add(Expr a, Expr b) {
        return binary("(" + a.formula() + "+" + b.formula() + ")", Binary.ADD, a, b);
    }

    public static Expr sub(Expr a, Expr b) {
        return binary("(" + a.formula() + "-" + b.formula() + ")", Binary.SUB, a, b);
    }

    public static Expr mul(Expr a, Expr b) {
        return binary(a.formula() + "*" + b.formula(), Binary.MUL, a, b);
    }

    /** {@code a / b}; NaN when {@code b} is zero. */
    public static Expr div(Expr a, Expr b) {
        return binary(a.formula() + "/" + b.formula(), Binary.DIV, a, b);
    }

    /** {@code a / (b + 1e-12)} as qlib writes its guarded ratios. */
    public static Expr divGuarded(Expr a, Expr b) {
        return binary(a.formula() + "/(" + b.formula() + "+1e-12)", Binary.DIV_GUARDED, a, b);
    }

    public static Expr greater(Expr a, Expr b) {
        return binary("Greater(" + a.formula() + "," + b.formula() + ")", Binary.GREATER, a, b);
    }

    public static Expr less(Expr a, Expr b) {
        return binary("Less(" + a.formula() + "," + b.formula() + ")", Binary.LESS, a, b);
    }

    /** 1 where {@code a > b}, 0 where not, NaN where either is NaN. */
    public static Expr gt(Expr a, Expr b) {
        return binary(a.formula() + ">" + b.formula(), Binary.GT, a, b);
    }

    public static Expr lt(Expr a, Expr b) {
        return binary(a.formula() + "<" + b.formula(), Binary.LT, a, b);
    }

    private static Expr binary(String formula, Binary op, Expr a, Expr b) {
        return new Op(formula, call(op.name(), a.key(), b.key()), Math.max(a.warmUp(), b.warmUp()),
                union(a.requirements(), b.requirements()), g -> {
            int x = g.slot(a);
            int y = g.slot(b);
            return (bar, v) -> apply(op, v[x], v[y]);
        });
    }

    private static double apply(Binary op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> y == 0.0 ? Double.NaN : x / y;
            case DIV_GUARDED -> x / (y + 1e-12);
            case GREATER -> Math.max(x, y);
            case LESS -> Math.min(x, y);
            case GT -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : (x > y ? 1.0 : 0.0);
            case LT -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : (x < y ? 1.0 : 0.0);
        };
    }

    private enum Unary { ABS, LOG, SQRT, SIGN }

    public static Expr abs(Expr a) {
        return unary("Abs", Unary.ABS, a);
    }

    /** Natural log; NaN for non-positive input. */
    public static Expr log(Expr a) {
        return unary("Log", Unary.LOG, a);
    }

    public static Expr sqrt(Expr a) {
        return unary("Sqrt", Unary.SQRT, a);
    }

    public static Expr sign(Expr a) {
        return unary("Sign", Unary.SIGN, a);
    }

    private static Expr unary(String name, Unary op, Expr a) {
        return new Op(name + "(" + a.formula() + ")", call(name, a.key()), a.warmUp(), a.requirements(), g -> {
            int x = g.slot(a);
            return (bar, v) -> {
                double u = v[x];
                return switch (op) {
                    case ABS -> Math.abs(u);
                    case LOG -> u > 0 ? Math.log(u) : Double.NaN;
                    case SQRT -> u >= 0 ? Math.sqrt(u) : Double.NaN;
                    case SIGN -> Math.signum(u);
                };
            };
        });
    }

    /**
     * An element-wise combination of two expressions under a given name. The name identifies the
     * function {@code f}: two combinations with the same name and operands are evaluated once.
     */
    public static Expr combine(String name, Expr a, Expr b, DoubleBinaryOperator f) {
        return new Op(name, call("Combine:" + name, a.key(), b.key()), Math.max(a.warmUp(), b.warmUp()),
                union(a.requirements(), b.requirements()), g -> {
            int x = g.slot(a);
            int y = g.slot(b);
            return (bar, v) -> f.applyAsDouble(v[x], v[y]);
        });
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
        return new Op("Prev(" + x.formula() + ")", call("Prev", x.key()), x.warmUp(), x.requirements(), g -> {
            int a = g.slot(x);
            return new Node() {
                private double last = Double.NaN;

                @Override
                public double next(BarInput bar, double[] v) {
                    double u = v[a];
                    double p = Double.isNaN(last) ? u : last;
                    last = u;
                    return p;
                }
            };
        });
    }

    /**
     * Relative tolerance under which {@link #direction} calls a change none: far below any real price
     * tick (a cent on a $100,000 share is 1e-7), far above the rounding of a few additions (1e-16).
     */
    public static final double TIE_TOLERANCE = 1e-10;

    /**
     * The direction of {@code x}'s change from the previous bar: 1, -1, or 0 when the change is within
     * {@link #TIE_TOLERANCE} of the level. A computed value (a typical price, a ratio) that is
     * mathematically unchanged can still differ in its last bit; this counts that as unchanged, as
     * exact arithmetic would. NaN until there is a previous bar, or where either value is NaN.
     */
    public static Expr direction(Expr x) {
        return rolling("Direction", x, 1, x.warmUp() + 1, g -> {
            int a = g.slot(x);
            return new Node() {
                private double last = Double.NaN;

                @Override
                public double next(BarInput bar, double[] v) {
                    double now = v[a];
                    double before = last;
                    last = now;
                    if (Double.isNaN(now) || Double.isNaN(before)) {
                        return Double.NaN;
                    }
                    double change = now - before;
                    if (Math.abs(change) <= TIE_TOLERANCE * Math.max(Math.abs(now), Math.abs(before))) {
                        return 0.0;
                    }
                    return change > 0 ? 1.0 : -1.0;
                }
            };
        });
    }

    /** {@code x - Prev(x)}: zero at the first bar. */
    public static Expr diff(Expr x) {
        return named("Diff(" + x.formula() + ")", sub(x, prev(x)));
    }

    /** The value {@code d} bars ago. */
    public static Expr ref(Expr x, int d) {
        checkWindow(d, 1);
        return rolling("Ref", x, d, x.warmUp() + d, g -> {
            int a = g.slot(x);
            RingBuffer buf = new RingBuffer(d + 1);
            return (bar, v) -> {
                buf.push(v[a]);
                return buf.full() ? buf.get(0) : Double.NaN;
            };
        });
    }

    /** Statistics read off one shared {@link RollingMoments} of a series and window. */
    private enum Moment { MEAN, SUM, STD, VAR, STD_POPULATION, SLOPE, RSQUARE, RESI }

    public static Expr mean(Expr x, int d) {
        return moments("Mean", Moment.MEAN, x, d, 1);
    }

    public static Expr sum(Expr x, int d) {
        return moments("Sum", Moment.SUM, x, d, 1);
    }

    /** Sample standard deviation (ddof = 1). */
    public static Expr std(Expr x, int d) {
        return moments("Std", Moment.STD, x, d, 2);
    }

    /** Sample variance (ddof = 1). */
    public static Expr var(Expr x, int d) {
        return moments("Var", Moment.VAR, x, d, 2);
    }

    /** Population standard deviation (ddof = 0), as Bollinger bands use it. */
    public static Expr stdPopulation(Expr x, int d) {
        return moments("StdP", Moment.STD_POPULATION, x, d, 1);
    }

    /** Slope of the least-squares line of x against the bar index 1..d. */
    public static Expr slope(Expr x, int d) {
        return moments("Slope", Moment.SLOPE, x, d, 2);
    }

    /** R² of that line; NaN when x is constant over the window. */
    public static Expr rsquare(Expr x, int d) {
        return moments("Rsquare", Moment.RSQUARE, x, d, 2);
    }

    /** The newest value's residual from that line. */
    public static Expr resi(Expr x, int d) {
        return moments("Resi", Moment.RESI, x, d, 2);
    }

    private static Expr moments(String op, Moment stat, Expr x, int d, int minWindow) {
        checkWindow(d, minWindow);
        return rolling(op, x, d, x.warmUp() + d - 1, g -> {
            RollingMoments m = shared(g, "Moments", x, d, a -> new MomentsNode(a, new RollingMoments(d))).moments;
            return (bar, v) -> m.valid() ? moment(stat, m) : Double.NaN;
        });
    }

    private static double moment(Moment stat, RollingMoments m) {
        return switch (stat) {
            case MEAN -> m.mean();
            case SUM -> m.sum();
            case STD -> Math.sqrt(m.sampleVariance());
            case VAR -> m.sampleVariance();
            case STD_POPULATION -> Math.sqrt(m.populationVariance());
            case SLOPE -> m.indexCovariance() / m.indexSquares();
            case RSQUARE -> {
                double syy = m.centeredSquares();
                double mean = m.mean();
                if (syy <= 1e-24 * Math.max(1.0, mean * mean) * m.window.size()) {
                    yield Double.NaN;
                }
                double sxy = m.indexCovariance();
                yield Math.min(1.0, sxy * sxy / (m.indexSquares() * syy));
            }
            case RESI -> {
                int n = m.window.size();
                double slope = m.indexCovariance() / m.indexSquares();
                yield (m.window.newest() - m.mean()) - slope * (n - (n + 1) / 2.0);
            }
        };
    }

    public static Expr max(Expr x, int d) {
        return extremum("Max", true, false, x, d);
    }

    public static Expr min(Expr x, int d) {
        return extremum("Min", false, false, x, d);
    }

    /** 1-based position, from the oldest bar, of the window's maximum (first occurrence). */
    public static Expr idxMax(Expr x, int d) {
        return extremum("IdxMax", true, true, x, d);
    }

    public static Expr idxMin(Expr x, int d) {
        return extremum("IdxMin", false, true, x, d);
    }

    private static Expr extremum(String op, boolean highest, boolean position, Expr x, int d) {
        checkWindow(d, 1);
        return rolling(op, x, d, x.warmUp() + d - 1, g -> {
            RollingExtremum e = shared(g, highest ? "Highest" : "Lowest", x, d,
                    a -> new ExtremumNode(a, new RollingExtremum(d, highest))).extremum;
            return position
                    ? (bar, v) -> e.valid() ? e.position() : Double.NaN
                    : (bar, v) -> e.valid() ? e.extremum() : Double.NaN;
        });
    }

    /** Mean absolute deviation from the window mean (the CCI denominator). */
    public static Expr meanDeviation(Expr x, int d) {
        checkWindow(d, 1);
        return rolling("MeanDev", x, d, x.warmUp() + d - 1, g -> {
            int a = g.slot(x);
            RingBuffer buf = new RingBuffer(d);
            return (bar, v) -> {
                buf.push(v[a]);
                return buf.valid() ? buf.meanDeviation() : Double.NaN;
            };
        });
    }

    /** The q-quantile over the window, linearly interpolated. */
    public static Expr quantile(Expr x, int d, double q) {
        checkWindow(d, 1);
        return new Op("Quantile(" + x.formula() + "," + d + "," + q + ")", call("Quantile", x.key(), d, q),
                x.warmUp() + d - 1, x.requirements(), g -> {
            SortedWindow w = shared(g, "Sorted", x, d, a -> new SortedNode(a, new SortedWindow(d))).sorted;
            return (bar, v) -> w.valid() ? w.quantile(q) : Double.NaN;
        });
    }

    /** The newest value's percentile rank in the window, in (0, 1]. */
    public static Expr rank(Expr x, int d) {
        checkWindow(d, 1);
        return rolling("Rank", x, d, x.warmUp() + d - 1, g -> {
            int a = g.slot(x);
            SortedWindow w = shared(g, "Sorted", x, d, s -> new SortedNode(s, new SortedWindow(d))).sorted;
            return (bar, v) -> w.valid() ? w.rankOf(v[a]) : Double.NaN;
        });
    }

    /** Pearson correlation of two series over the window; NaN when either is constant. */
    public static Expr corr(Expr x, Expr y, int d) {
        return pair("Corr", true, x, y, d);
    }

    /** Least-squares slope of y on x over the window (a beta when both are returns). */
    public static Expr regressionSlope(Expr y, Expr x, int d) {
        return pair("Beta", false, y, x, d);
    }

    private static Expr pair(String op, boolean correlation, Expr a, Expr b, int d) {
        checkWindow(d, 2);
        return new Op(op + "(" + a.formula() + "," + b.formula() + "," + d + ")", call(op, a.key(), b.key(), d),
                Math.max(a.warmUp(), b.warmUp()) + d - 1, union(a.requirements(), b.requirements()), g -> {
            RollingCovariance c = ((CovarianceNode) g.node(g.slot(call("Covariance", a.key(), b.key(), d),
                    () -> new CovarianceNode(g.slot(a), g.slot(b), new RollingCovariance(d))))).covariance;
            return correlation
                    ? (bar, v) -> c.valid() ? c.correlation() : Double.NaN
                    : (bar, v) -> c.valid() ? c.slopeOnSecond() : Double.NaN;
        });
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
        return new Op(label + "(" + x.formula() + ")", call("Ema", x.key(), alpha), x.warmUp() + seedDecayBars(alpha),
                x.requirements(), g -> {
            int a = g.slot(x);
            return new Node() {
                private double state = Double.NaN;

                @Override
                public double next(BarInput bar, double[] v) {
                    double u = v[a];
                    if (Double.isNaN(u)) {
                        return Double.NaN;
                    }
                    state = Double.isNaN(state) ? u : state + alpha * (u - state);
                    return state;
                }
            };
        });
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

    /** Gives an expression a readable formula (e.g. {@code TR} for the true range); the computation is shared. */
    public static Expr named(String formula, Expr x) {
        return new Op(formula, x.key(), x.warmUp(), x.requirements(), x::compile);
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private static Expr rolling(String op, Expr x, int d, int warmUp, Function<ExprGraph, Node> compiler) {
        return new Op(String.format(Locale.ROOT, "%s(%s,%d)", op, x.formula(), d), call(op, x.key(), d), warmUp,
                x.requirements(), compiler);
    }

    private static String call(String op, Object... args) {
        StringBuilder b = new StringBuilder(op).append('(');
        for (int i = 0; i < args.length; i++) {
            b.append(i == 0 ? "" : ",").append(args[i]);
        }
        return b.append(')').toString();
    }

    /** The running state of {@code x} over {@code d} bars, one per graph however many operators read it. */
    private static <T extends Node> T shared(ExprGraph g, String state, Expr x, int d, IntFunction<T> make) {
        @SuppressWarnings("unchecked")
        T node = (T) g.node(g.slot(call(state, x.key(), d), () -> make.apply(g.slot(x))));
        return node;
    }

    /** Pushes a series into running window sums; the value is unused, readers hold the sums. */
    private record MomentsNode(int source, RollingMoments moments) implements Node {
        @Override
        public double next(BarInput bar, double[] v) {
            moments.push(v[source]);
            return 0.0;
        }
    }

    /** Pushes a series into a running extremum. */
    private record ExtremumNode(int source, RollingExtremum extremum) implements Node {
        @Override
        public double next(BarInput bar, double[] v) {
            extremum.push(v[source]);
            return 0.0;
        }
    }

    /** Pushes a series into a sorted window for quantiles and ranks. */
    private record SortedNode(int source, SortedWindow sorted) implements Node {
        @Override
        public double next(BarInput bar, double[] v) {
            sorted.push(v[source]);
            return 0.0;
        }
    }

    /** Pushes two aligned series into running co-moments. */
    private record CovarianceNode(int first, int second, RollingCovariance covariance) implements Node {
        @Override
        public double next(BarInput bar, double[] v) {
            covariance.push(v[first], v[second]);
            return 0.0;
        }
    }

    /** The one implementation of {@link Expr}: display formula, structural key, warm-up, requirements, compiler. */
    private record Op(String formula, String key, int warmUp, Set<Requirement> requirements,
                      Function<ExprGraph, Node> compiler) implements Expr {
        @Override
        public Node compile(ExprGraph graph) {
            return compiler.apply(graph);
        }
    }
}
