package io.foresail.features.library;

import io.foresail.features.expr.Expr;

import java.util.ArrayList;
import java.util.List;

import static io.foresail.features.expr.Ops.add;
import static io.foresail.features.expr.Ops.close;
import static io.foresail.features.expr.Ops.constant;
import static io.foresail.features.expr.Ops.div;
import static io.foresail.features.expr.Ops.high;
import static io.foresail.features.expr.Ops.log;
import static io.foresail.features.expr.Ops.low;
import static io.foresail.features.expr.Ops.mean;
import static io.foresail.features.expr.Ops.mul;
import static io.foresail.features.expr.Ops.open;
import static io.foresail.features.expr.Ops.ref;
import static io.foresail.features.expr.Ops.sqrt;
import static io.foresail.features.expr.Ops.std;
import static io.foresail.features.expr.Ops.sub;
import static io.foresail.features.expr.Ops.var;

/**
 * Range-based and close-to-close volatility estimators, family {@code vol}, per bar (not
 * annualised: multiply by sqrt(bars per year) to annualise). For intraday bars the "overnight"
 * term of Yang-Zhang is the gap from the previous bar's close to this bar's open, which at the
 * first bar of a session is the true overnight gap.
 */
public final class Volatility {
    public static final String FAMILY = "vol";
    private static final List<Integer> WINDOWS = List.of(20, 60);
    private static final List<String> RAW = List.of("raw");

    private Volatility() {
    }

    static Expr rogersSatchellTerm() {
        Expr hc = log(div(high(), close()));
        Expr ho = log(div(high(), open()));
        Expr lc = log(div(low(), close()));
        Expr lo = log(div(low(), open()));
        return add(mul(hc, ho), mul(lc, lo));
    }

    public static List<Indicator> indicators() {
        List<Indicator> out = new ArrayList<>();
        Expr hl = log(div(high(), low()));
        Expr co = log(div(close(), open()));
        out.add(Indicator.expr(FAMILY, "cc", "Close-to-close volatility, sample sd of log returns", RAW, WINDOWS, 2,
                (n, v) -> std(log(div(close(), ref(close(), 1))), n)).within(0, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "parkinson", "Parkinson high-low volatility", RAW, WINDOWS, 1,
                (n, v) -> sqrt(div(mean(mul(hl, hl), n), constant(4 * Math.log(2))))).within(0, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "gk", "Garman-Klass volatility", RAW, WINDOWS, 1,
                (n, v) -> sqrt(mean(sub(mul(constant(0.5), mul(hl, hl)),
                        mul(constant(2 * Math.log(2) - 1), mul(co, co))), n))).within(0, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "rs", "Rogers-Satchell volatility (drift-independent)", RAW, WINDOWS, 1,
                (n, v) -> sqrt(mean(rogersSatchellTerm(), n))).within(0, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "yz", "Yang-Zhang volatility: gap variance + k open-close variance + (1-k) Rogers-Satchell",
                RAW, WINDOWS, 2, (n, v) -> {
                    double k = 0.34 / (1.34 + (n + 1.0) / (n - 1.0));
                    Expr gap = log(div(open(), ref(close(), 1)));
                    return sqrt(add(add(var(gap, n), mul(constant(k), var(co, n))),
                            mul(constant(1 - k), mean(rogersSatchellTerm(), n))));
                }).within(0, Double.POSITIVE_INFINITY));
        return out;
    }
}
