package io.foresail.features.library;

import io.foresail.features.expr.Expr;

import java.util.ArrayList;
import java.util.List;

import static io.foresail.features.expr.Ops.abs;
import static io.foresail.features.expr.Ops.add;
import static io.foresail.features.expr.Ops.close;
import static io.foresail.features.expr.Ops.constant;
import static io.foresail.features.expr.Ops.corr;
import static io.foresail.features.expr.Ops.div;
import static io.foresail.features.expr.Ops.divGuarded;
import static io.foresail.features.expr.Ops.greater;
import static io.foresail.features.expr.Ops.gt;
import static io.foresail.features.expr.Ops.high;
import static io.foresail.features.expr.Ops.idxMax;
import static io.foresail.features.expr.Ops.idxMin;
import static io.foresail.features.expr.Ops.less;
import static io.foresail.features.expr.Ops.log;
import static io.foresail.features.expr.Ops.low;
import static io.foresail.features.expr.Ops.lt;
import static io.foresail.features.expr.Ops.max;
import static io.foresail.features.expr.Ops.mean;
import static io.foresail.features.expr.Ops.min;
import static io.foresail.features.expr.Ops.mul;
import static io.foresail.features.expr.Ops.open;
import static io.foresail.features.expr.Ops.quantile;
import static io.foresail.features.expr.Ops.rank;
import static io.foresail.features.expr.Ops.ref;
import static io.foresail.features.expr.Ops.resi;
import static io.foresail.features.expr.Ops.rsquare;
import static io.foresail.features.expr.Ops.slope;
import static io.foresail.features.expr.Ops.std;
import static io.foresail.features.expr.Ops.sub;
import static io.foresail.features.expr.Ops.sum;
import static io.foresail.features.expr.Ops.volume;
import static io.foresail.features.expr.Ops.vwap;

/**
 * Microsoft qlib's Alpha158 factor set with qlib's definitions: nine K-bar shape features, four
 * price ratios, and 29 rolling families over windows 5, 10, 20, 30, 60 (158 in all). Named
 * {@code alpha158_<qlib family, lower case>_<window>_raw}; K-bar features use window 1 and the
 * price ratios window 0, as qlib's {@code OPEN0}. The one systematic difference from qlib is that
 * rolling values are NaN until their window is full (qlib computes them from fewer bars).
 */
public final class Alpha158 {
    public static final String FAMILY = "alpha158";
    public static final List<Integer> WINDOWS = List.of(5, 10, 20, 30, 60);
    private static final List<String> RAW = List.of("raw");
    private static final Expr EPS_ONE = constant(1);

    private Alpha158() {
    }

    public static List<Indicator> indicators() {
        List<Indicator> out = new ArrayList<>();
        Expr o = open();
        Expr h = high();
        Expr l = low();
        Expr c = close();
        Expr v = volume();
        Expr range = sub(h, l);
        Expr top = greater(o, c);
        Expr bottom = less(o, c);
        Expr shift = sub(sub(mul(constant(2), c), h), l);

        kbar(out, "kmid", "KMID, body over open", div(sub(c, o), o));
        kbar(out, "klen", "KLEN, range over open", div(range, o), 0, Double.POSITIVE_INFINITY);
        kbar(out, "kmid2", "KMID2, body over range", divGuarded(sub(c, o), range), -1, 1);
        kbar(out, "kup", "KUP, upper shadow over open", div(sub(h, top), o), 0, Double.POSITIVE_INFINITY);
        kbar(out, "kup2", "KUP2, upper shadow over range", divGuarded(sub(h, top), range), 0, 1);
        kbar(out, "klow", "KLOW, lower shadow over open", div(sub(bottom, l), o), 0, Double.POSITIVE_INFINITY);
        kbar(out, "klow2", "KLOW2, lower shadow over range", divGuarded(sub(bottom, l), range), 0, 1);
        kbar(out, "ksft", "KSFT, close shift over open", div(shift, o));
        kbar(out, "ksft2", "KSFT2, close shift over range", divGuarded(shift, range), -1, 1);

        price(out, "open", "OPEN0", div(o, c));
        price(out, "high", "HIGH0", div(h, c));
        price(out, "low", "LOW0", div(l, c));
        price(out, "vwap", "VWAP0", div(vwap(), c));

        Expr prevClose = ref(c, 1);
        Expr up = gt(c, prevClose);
        Expr down = lt(c, prevClose);
        Expr move = sub(c, prevClose);
        Expr gain = greater(move, constant(0));
        Expr loss = greater(sub(prevClose, c), constant(0));
        Expr absMove = abs(move);
        Expr vMove = sub(v, ref(v, 1));
        Expr vGain = greater(vMove, constant(0));
        Expr vLoss = greater(sub(ref(v, 1), v), constant(0));
        Expr absVMove = abs(vMove);
        Expr weightedVol = mul(abs(sub(div(c, prevClose), EPS_ONE)), v);

        rolling(out, "roc", "ROC, close d bars ago over close", d -> div(ref(c, d), c));
        rolling(out, "ma", "MA, mean close over close", d -> div(mean(c, d), c));
        rolling(out, "std", "STD, close deviation over close", d -> div(std(c, d), c), 0, Double.POSITIVE_INFINITY);
        rolling(out, "beta", "BETA, close trend slope over close", d -> div(slope(c, d), c));
        rolling(out, "rsqr", "RSQR, R-squared of the close trend", d -> rsquare(c, d), 0, 1);
        rolling(out, "resi", "RESI, close trend residual over close", d -> div(resi(c, d), c));
        rolling(out, "max", "MAX, highest high over close", d -> div(max(h, d), c), 0, Double.POSITIVE_INFINITY);
        rolling(out, "min", "MIN, lowest low over close", d -> div(min(l, d), c), 0, Double.POSITIVE_INFINITY);
        rolling(out, "qtlu", "QTLU, 80% close quantile over close", d -> div(quantile(c, d, 0.8), c), 0, Double.POSITIVE_INFINITY);
        rolling(out, "qtld", "QTLD, 20% close quantile over close", d -> div(quantile(c, d, 0.2), c), 0, Double.POSITIVE_INFINITY);
        rolling(out, "rank", "RANK, percentile of the close in its window", d -> rank(c, d), 0, 1);
        rolling(out, "rsv", "RSV, close within the window's low-high range",
                d -> divGuarded(sub(c, min(l, d)), sub(max(h, d), min(l, d))), 0, 1);
        rolling(out, "imax", "IMAX, position of the highest high", d -> div(idxMax(h, d), constant(d)), 0, 1);
        rolling(out, "imin", "IMIN, position of the lowest low", d -> div(idxMin(l, d), constant(d)), 0, 1);
        rolling(out, "imxd", "IMXD, high position minus low position",
                d -> div(sub(idxMax(h, d), idxMin(l, d)), constant(d)), -1, 1);
        rolling(out, "corr", "CORR, correlation of close and log volume",
                d -> corr(c, log(add(v, constant(1))), d), -1, 1);
        rolling(out, "cord", "CORD, correlation of close change and log volume change",
                d -> corr(div(c, prevClose), log(add(div(v, ref(v, 1)), constant(1))), d), -1, 1);
        rolling(out, "cntp", "CNTP, share of up bars", d -> mean(up, d), 0, 1);
        rolling(out, "cntn", "CNTN, share of down bars", d -> mean(down, d), 0, 1);
        rolling(out, "cntd", "CNTD, up share minus down share", d -> sub(mean(up, d), mean(down, d)), -1, 1);
        rolling(out, "sump", "SUMP, gains over total movement", d -> divGuarded(sum(gain, d), sum(absMove, d)), 0, 1);
        rolling(out, "sumn", "SUMN, losses over total movement", d -> divGuarded(sum(loss, d), sum(absMove, d)), 0, 1);
        rolling(out, "sumd", "SUMD, gains minus losses over total movement",
                d -> divGuarded(sub(sum(gain, d), sum(loss, d)), sum(absMove, d)), -1, 1);
        rolling(out, "vma", "VMA, mean volume over volume", d -> divGuarded(mean(v, d), v), 0, Double.POSITIVE_INFINITY);
        rolling(out, "vstd", "VSTD, volume deviation over volume", d -> divGuarded(std(v, d), v), 0, Double.POSITIVE_INFINITY);
        rolling(out, "wvma", "WVMA, volume-weighted price change dispersion",
                d -> divGuarded(std(weightedVol, d), mean(weightedVol, d)), 0, Double.POSITIVE_INFINITY);
        rolling(out, "vsump", "VSUMP, volume increases over total volume movement",
                d -> divGuarded(sum(vGain, d), sum(absVMove, d)), 0, 1);
        rolling(out, "vsumn", "VSUMN, volume decreases over total volume movement",
                d -> divGuarded(sum(vLoss, d), sum(absVMove, d)), 0, 1);
        rolling(out, "vsumd", "VSUMD, volume increases minus decreases over total volume movement",
                d -> divGuarded(sub(sum(vGain, d), sum(vLoss, d)), sum(absVMove, d)), -1, 1);
        return out;
    }

    private static void kbar(List<Indicator> out, String name, String description, Expr e) {
        kbar(out, name, description, e, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** A K-bar feature whose values lie in [min, max] by definition. */
    private static void kbar(List<Indicator> out, String name, String description, Expr e, double min, double max) {
        out.add(Indicator.fixed(FAMILY, name, "qlib Alpha158 " + description, RAW, 1, (w, v) -> e).within(min, max));
    }

    private static void price(List<Indicator> out, String name, String qlibName, Expr e) {
        out.add(Indicator.fixed(FAMILY, name, "qlib Alpha158 " + qlibName + ", " + name + " over close",
                RAW, 0, (w, v) -> e));
    }

    private interface Window {
        Expr of(int d);
    }

    private static void rolling(List<Indicator> out, String name, String description, Window f) {
        rolling(out, name, description, f, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** A rolling family whose values lie in [lowest, highest] by definition. */
    private static void rolling(List<Indicator> out, String name, String description, Window f, double lowest, double highest) {
        int min = switch (name) {
            case "std", "beta", "rsqr", "resi", "corr", "cord", "vstd", "wvma" -> 2;
            default -> 1;
        };
        out.add(Indicator.expr(FAMILY, name, "qlib Alpha158 " + description, RAW, WINDOWS, min,
                (d, v) -> f.of(d)).within(lowest, highest));
    }
}
