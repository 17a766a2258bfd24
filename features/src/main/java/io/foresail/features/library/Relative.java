package io.foresail.features.library;

import io.foresail.features.expr.Expr;

import java.util.ArrayList;
import java.util.List;

import static io.foresail.features.expr.Ops.add;
import static io.foresail.features.expr.Ops.benchmarkReturn;
import static io.foresail.features.expr.Ops.close;
import static io.foresail.features.expr.Ops.constant;
import static io.foresail.features.expr.Ops.corr;
import static io.foresail.features.expr.Ops.div;
import static io.foresail.features.expr.Ops.log;
import static io.foresail.features.expr.Ops.ref;
import static io.foresail.features.expr.Ops.regressionSlope;
import static io.foresail.features.expr.Ops.sectorReturn;
import static io.foresail.features.expr.Ops.sub;
import static io.foresail.features.expr.Ops.sum;

/**
 * Features relative to the benchmark ({@code bench}) and to the symbol's sector ({@code sector},
 * the equal-weight return of the other members), family {@code rel}: rolling beta and
 * correlation of bar returns, and relative strength as the difference of summed log returns.
 * Each bar's own return is paired with the reference return over the same bar; after a bar the
 * symbol is missing, its return spans the gap, so such pairs are slightly mismatched (the
 * validator reports gaps).
 */
public final class Relative {
    public static final String FAMILY = "rel";
    private static final List<String> REFERENCES = List.of("bench", "sector");

    private Relative() {
    }

    private static Expr reference(String variant) {
        return variant.equals("bench") ? benchmarkReturn() : sectorReturn();
    }

    public static List<Indicator> indicators() {
        Expr ret = sub(div(close(), ref(close(), 1)), constant(1));
        List<Indicator> out = new ArrayList<>();
        out.add(Indicator.expr(FAMILY, "beta", "Rolling beta of bar returns on the reference's", REFERENCES,
                List.of(60), 2, (n, v) -> regressionSlope(ret, reference(v), n)));
        out.add(Indicator.expr(FAMILY, "corr", "Rolling correlation of bar returns with the reference's", REFERENCES,
                List.of(60), 2, (n, v) -> corr(ret, reference(v), n)).within(-1, 1));
        out.add(Indicator.expr(FAMILY, "rs", "Relative strength: summed log return minus the reference's", REFERENCES,
                List.of(20, 60), 1, (n, v) -> {
                    Expr own = log(add(ret, constant(1)));
                    Expr other = log(add(reference(v), constant(1)));
                    return sub(sum(own, n), sum(other, n));
                }));
        return out;
    }
}
