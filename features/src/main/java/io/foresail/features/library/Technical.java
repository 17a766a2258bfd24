package io.foresail.features.library;

import io.foresail.features.expr.Expr;
import io.foresail.features.expr.Ops;

import java.util.ArrayList;
import java.util.List;

import static io.foresail.features.expr.Ops.abs;
import static io.foresail.features.expr.Ops.add;
import static io.foresail.features.expr.Ops.close;
import static io.foresail.features.expr.Ops.constant;
import static io.foresail.features.expr.Ops.diff;
import static io.foresail.features.expr.Ops.direction;
import static io.foresail.features.expr.Ops.div;
import static io.foresail.features.expr.Ops.ema;
import static io.foresail.features.expr.Ops.greater;
import static io.foresail.features.expr.Ops.gt;
import static io.foresail.features.expr.Ops.high;
import static io.foresail.features.expr.Ops.low;
import static io.foresail.features.expr.Ops.lt;
import static io.foresail.features.expr.Ops.max;
import static io.foresail.features.expr.Ops.mean;
import static io.foresail.features.expr.Ops.meanDeviation;
import static io.foresail.features.expr.Ops.min;
import static io.foresail.features.expr.Ops.mul;
import static io.foresail.features.expr.Ops.named;
import static io.foresail.features.expr.Ops.prev;
import static io.foresail.features.expr.Ops.ref;
import static io.foresail.features.expr.Ops.sign;
import static io.foresail.features.expr.Ops.stdPopulation;
import static io.foresail.features.expr.Ops.sub;
import static io.foresail.features.expr.Ops.sum;
import static io.foresail.features.expr.Ops.volume;
import static io.foresail.features.expr.Ops.wilder;

/**
 * Classic technical indicators, family {@code tech}. Definitions follow ta4j (checked against it
 * to 1e-9 in the tests) where ta4j has the indicator: Wilder smoothing (ta4j's MMA, alpha = 1/n)
 * for RSI, ATR and ADX; EMA (alpha = 2/(n+1)) seeded with the first value for MACD, PPO, TSI and
 * Keltner; population deviation for Bollinger bands; first changes (gain, loss, true range,
 * directional movement) computed against the bar itself, i.e. zero, at the first bar.
 * Oscillators are in their usual units (RSI 0..100, Williams %R -100..0); price-level outputs
 * (MACD, ATR) are raw, and each has a scale-free sibling (PPO, NATR) for cross-symbol models.
 */
public final class Technical {
    public static final String FAMILY = "tech";

    private Technical() {
    }

    static Expr typicalPrice() {
        return named("TP", div(add(add(high(), low()), close()), constant(3)));
    }

    static Expr trueRange() {
        Expr pc = prev(close());
        return named("TR", greater(sub(high(), low()), greater(abs(sub(high(), pc)), abs(sub(low(), pc)))));
    }

    /** ta4j's RSI form: 100 - 100 / (1 + gain/loss); 100 when there were only gains, 0 when flat. */
    static Expr rsi(Expr x, int n) {
        Expr change = diff(x);
        Expr avgGain = wilder(greater(change, constant(0)), n);
        Expr avgLoss = wilder(greater(Ops.mul(constant(-1), change), constant(0)), n);
        return ratioOscillator("RSI" + n, avgGain, avgLoss);
    }

    static Expr atr(int n) {
        return wilder(trueRange(), n);
    }

    /** +DI or -DI (percent), ta4j's definition: Wilder-smoothed directional movement over ATR. */
    static Expr directional(int n, boolean plus) {
        Expr upMove = sub(high(), prev(high()));
        Expr downMove = sub(prev(low()), low());
        Expr dm = plus
                ? mul(upMove, mul(gt(upMove, downMove), gt(upMove, constant(0))))
                : mul(downMove, mul(gt(downMove, upMove), gt(downMove, constant(0))));
        return named((plus ? "PlusDI" : "MinusDI") + n,
                mul(constant(100), div(wilder(dm, n), atr(n))));
    }

    /** 100 - 100 / (1 + up/down); 100 when there was no down side, 0 when neither. */
    static Expr ratioOscillator(String name, Expr up, Expr down) {
        return Ops.combine(name, up, down, (u, d) -> d == 0 ? (u == 0 ? 0.0 : 100.0) : 100 - 100 / (1 + u / d));
    }

    /** ((close - low) - (high - close)) / (high - low); 0 on a bar without range. */
    static Expr closeLocationValue() {
        Expr c = close();
        Expr range = sub(high(), low());
        return Ops.combine("CLV", sub(sub(c, low()), sub(high(), c)), range, (num, r) -> r == 0 ? 0.0 : num / r);
    }

    public static List<Indicator> indicators() {
        List<Indicator> out = new ArrayList<>();
        Expr c = close();
        Expr h = high();
        Expr l = low();
        Expr v = volume();
        List<String> raw = List.of("raw");

        out.add(Indicator.expr(FAMILY, "rsi", "Relative strength index (Wilder), 0..100", raw,
                List.of(7, 14, 21), 2, (n, var) -> rsi(c, n)).within(0, 100));
        out.add(Indicator.expr(FAMILY, "macd", "MACD over EMA(n) with fast EMA(12n/26) and signal EMA(9n/26), price units",
                List.of("line", "signal", "hist"), List.of(26), 4, (n, var) -> {
                    int fast = Math.max(2, Math.round(n * 12f / 26f));
                    int signalN = Math.max(2, Math.round(n * 9f / 26f));
                    Expr line = sub(ema(c, fast), ema(c, n));
                    Expr signal = ema(line, signalN);
                    return switch (var) {
                        case "line" -> line;
                        case "signal" -> signal;
                        default -> sub(line, signal);
                    };
                }));
        out.add(Indicator.expr(FAMILY, "ppo", "Percentage price oscillator, 100 (EMA(12n/26) - EMA(n)) / EMA(n)",
                raw, List.of(26), 4, (n, var) -> {
                    int fast = Math.max(2, Math.round(n * 12f / 26f));
                    Expr slow = ema(c, n);
                    return mul(constant(100), div(sub(ema(c, fast), slow), slow));
                }));
        out.add(Indicator.expr(FAMILY, "bbands", "Bollinger bands (SMA n +/- 2 population sd): %B and bandwidth (percent of middle)",
                List.of("pctb", "width"), List.of(20), 2, (n, var) -> {
                    Expr mid = mean(c, n);
                    Expr band = mul(constant(2), stdPopulation(c, n));
                    Expr upper = add(mid, band);
                    Expr lower = sub(mid, band);
                    return var.equals("pctb")
                            ? div(sub(c, lower), sub(upper, lower))
                            : mul(constant(100), div(sub(upper, lower), mid));
                }).within("width", 0, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "atr", "Average true range (Wilder), price units", raw,
                List.of(14), 1, (n, var) -> atr(n)).within(0, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "natr", "Normalised ATR, 100 ATR / close", raw,
                List.of(14), 1, (n, var) -> mul(constant(100), div(atr(n), c))).within(0, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "adx", "Average directional index (Wilder) with +DI and -DI, 0..100",
                List.of("raw", "plusdi", "minusdi"), List.of(14), 2, (n, var) -> {
                    Expr plus = directional(n, true);
                    Expr minus = directional(n, false);
                    return switch (var) {
                        case "plusdi" -> plus;
                        case "minusdi" -> minus;
                        default -> wilder(Ops.combine("DX(" + plus.formula() + "," + minus.formula() + ")", plus, minus,
                                (p, m) -> p + m == 0 ? 0.0 : 100 * Math.abs(p - m) / (p + m)), n);
                    };
                }).within(0, 100));
        out.add(Indicator.expr(FAMILY, "stoch", "Stochastic oscillator %K(n) and %D = SMA3(%K), 0..100",
                List.of("k", "d"), List.of(14), 1, (n, var) -> {
                    Expr k = mul(constant(100), div(sub(c, min(l, n)), sub(max(h, n), min(l, n))));
                    return var.equals("k") ? k : mean(k, 3);
                }).within(0, 100));
        out.add(Indicator.expr(FAMILY, "willr", "Williams %R, -100..0", raw, List.of(14), 1,
                (n, var) -> mul(constant(-100), div(sub(max(h, n), c), sub(max(h, n), min(l, n))))).within(-100, 0));
        out.add(Indicator.expr(FAMILY, "cci", "Commodity channel index of the typical price", raw,
                List.of(20), 2, (n, var) -> {
                    Expr tp = typicalPrice();
                    return div(sub(tp, mean(tp, n)), mul(constant(0.015), meanDeviation(tp, n)));
                }));
        out.add(Indicator.expr(FAMILY, "mfi", "Money flow index, 0..100", raw, List.of(14), 2, (n, var) -> {
            Expr tp = typicalPrice();
            Expr flow = mul(tp, v);
            // Two bars with the same typical price can differ in its last bit ((h+l+c)/3 rounds
            // differently for different prices): such a bar's flow is neither up nor down.
            Expr tick = direction(tp);
            Expr pos = sum(mul(flow, gt(tick, constant(0))), n);
            Expr neg = sum(mul(flow, lt(tick, constant(0))), n);
            return ratioOscillator("MFI" + n, pos, neg);
        }).within(0, 100));
        out.add(Indicator.expr(FAMILY, "obv", "On-balance volume change over n bars as a share of their volume, -1..1",
                List.of("norm"), List.of(20), 1,
                (n, var) -> div(sum(mul(sign(sub(c, ref(c, 1))), v), n), sum(v, n))).within(-1, 1));
        out.add(Indicator.expr(FAMILY, "cmf", "Chaikin money flow", raw, List.of(20), 1, (n, var) -> {
            Expr clv = closeLocationValue();
            return div(sum(mul(clv, v), n), sum(v, n));
        }).within(-1, 1));
        out.add(Indicator.expr(FAMILY, "roc", "Rate of change, percent", raw, List.of(10), 1,
                (n, var) -> mul(constant(100), div(sub(c, ref(c, n)), ref(c, n)))).within(-100, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "tsi", "True strength index, 100 EMA(13n/25)(EMA(n)(change)) / same of |change|",
                raw, List.of(25), 2, (n, var) -> {
                    int second = Math.max(2, Math.round(n * 13f / 25f));
                    Expr change = diff(c);
                    return mul(constant(100), div(ema(ema(change, n), second), ema(ema(abs(change), n), second)));
                }).within(-100, 100));
        out.add(Indicator.expr(FAMILY, "donchian", "Close within the Donchian channel (lowest low..highest high), 0..1",
                List.of("position"), List.of(20), 1,
                (n, var) -> div(sub(c, min(l, n)), sub(max(h, n), min(l, n)))).within(0, 1));
        out.add(Indicator.expr(FAMILY, "keltner", "Close within the Keltner channel EMA(n) of TP +/- 2 ATR(n/2), 0..1 inside",
                List.of("position"), List.of(20), 2, (n, var) -> {
                    Expr mid = ema(typicalPrice(), n);
                    Expr band = mul(constant(2), atr(Math.max(1, n / 2)));
                    return div(sub(c, sub(mid, band)), mul(constant(2), band));
                }));
        out.add(Indicator.expr(FAMILY, "cmo", "Chande momentum oscillator, -100..100", raw, List.of(14), 1, (n, var) -> {
            Expr change = diff(c);
            Expr up = sum(greater(change, constant(0)), n);
            Expr down = sum(greater(mul(constant(-1), change), constant(0)), n);
            return mul(constant(100), div(sub(up, down), add(up, down)));
        }).within(-100, 100));
        out.add(Indicator.expr(FAMILY, "stochrsi", "Stochastic RSI: RSI(n) within its n-bar range, 0..1", raw,
                List.of(14), 2, (n, var) -> {
                    Expr r = rsi(c, n);
                    return div(sub(r, min(r, n)), sub(max(r, n), min(r, n)));
                }).within(0, 1));
        out.add(Indicator.expr(FAMILY, "sma", "Distance of the close from its simple moving average, close/SMA - 1",
                List.of("dist"), List.of(5, 10, 20, 50, 100, 200), 1,
                (n, var) -> sub(div(c, mean(c, n)), constant(1))).within(-1, Double.POSITIVE_INFINITY));
        out.add(Indicator.expr(FAMILY, "ema", "Distance of the close from its exponential moving average, close/EMA - 1",
                List.of("dist"), List.of(5, 10, 20, 50, 100, 200), 1,
                (n, var) -> sub(div(c, ema(c, n)), constant(1))).within(-1, Double.POSITIVE_INFINITY));
        return out;
    }
}
