package io.foresail.features.library;

import io.foresail.features.TestMarket;
import io.foresail.features.batch.SymbolBars;
import io.foresail.features.engine.MutableBarInput;
import io.foresail.features.kernel.FeatureKernel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Alpha158 feature against a direct, window-by-window evaluation of qlib's published formula
 * (pandas semantics: sample std, linear-interpolated quantiles, average-rank percentiles, 1-based
 * argmax). The incremental kernels must agree to 1e-9 relative at every bar after warm-up.
 */
class Alpha158DefinitionTest {
    private static SymbolBars b;
    private static double[] o;
    private static double[] h;
    private static double[] l;
    private static double[] c;
    private static double[] v;

    @BeforeAll
    static void market() {
        b = TestMarket.generate(1, LocalDate.of(2022, 3, 1), LocalDate.of(2022, 4, 29), 5).equities().get(0);
        o = b.open();
        h = b.high();
        l = b.low();
        c = b.close();
        v = b.volume();
    }

    @Test
    void theLibraryHasExactly158Alpha158Features() {
        List<String> names = FeatureLibrary.standard().group("alpha158");
        assertThat(names).hasSize(158).doesNotHaveDuplicates();
        assertThat(names).contains("alpha158_kmid_1_raw", "alpha158_vwap_0_raw", "alpha158_vsumd_60_raw");
    }

    @Test
    void kbarAndPriceFeatures() {
        check("alpha158_kmid_1_raw", i -> (c[i] - o[i]) / o[i]);
        check("alpha158_klen_1_raw", i -> (h[i] - l[i]) / o[i]);
        check("alpha158_kmid2_1_raw", i -> (c[i] - o[i]) / (h[i] - l[i] + 1e-12));
        check("alpha158_kup_1_raw", i -> (h[i] - Math.max(o[i], c[i])) / o[i]);
        check("alpha158_kup2_1_raw", i -> (h[i] - Math.max(o[i], c[i])) / (h[i] - l[i] + 1e-12));
        check("alpha158_klow_1_raw", i -> (Math.min(o[i], c[i]) - l[i]) / o[i]);
        check("alpha158_klow2_1_raw", i -> (Math.min(o[i], c[i]) - l[i]) / (h[i] - l[i] + 1e-12));
        check("alpha158_ksft_1_raw", i -> (2 * c[i] - h[i] - l[i]) / o[i]);
        check("alpha158_ksft2_1_raw", i -> (2 * c[i] - h[i] - l[i]) / (h[i] - l[i] + 1e-12));
        check("alpha158_open_0_raw", i -> o[i] / c[i]);
        check("alpha158_high_0_raw", i -> h[i] / c[i]);
        check("alpha158_low_0_raw", i -> l[i] / c[i]);
        check("alpha158_vwap_0_raw", i -> b.vwap()[i] / c[i]);
    }

    @Test
    void rollingFeaturesAtEveryWindow() {
        for (int d : Alpha158.WINDOWS) {
            rolling(d);
        }
    }

    private void rolling(int d) {
        String s = "_" + d + "_raw";
        check("alpha158_roc" + s, i -> i < d ? Double.NaN : c[i - d] / c[i]);
        check("alpha158_ma" + s, i -> mean(win(c, i, d)) / c[i]);
        check("alpha158_std" + s, i -> std(win(c, i, d)) / c[i]);
        check("alpha158_beta" + s, i -> fit(win(c, i, d))[0] / c[i]);
        check("alpha158_rsqr" + s, i -> fit(win(c, i, d))[1]);
        check("alpha158_resi" + s, i -> fit(win(c, i, d))[2] / c[i]);
        check("alpha158_max" + s, i -> Arrays.stream(win(h, i, d)).max().orElseThrow() / c[i]);
        check("alpha158_min" + s, i -> Arrays.stream(win(l, i, d)).min().orElseThrow() / c[i]);
        check("alpha158_qtlu" + s, i -> quantile(win(c, i, d), 0.8) / c[i]);
        check("alpha158_qtld" + s, i -> quantile(win(c, i, d), 0.2) / c[i]);
        check("alpha158_rank" + s, i -> rankPct(win(c, i, d)));
        check("alpha158_rsv" + s, i -> {
            double mx = Arrays.stream(win(h, i, d)).max().orElseThrow();
            double mn = Arrays.stream(win(l, i, d)).min().orElseThrow();
            return (c[i] - mn) / (mx - mn + 1e-12);
        });
        check("alpha158_imax" + s, i -> argmax(win(h, i, d)) / (double) d);
        check("alpha158_imin" + s, i -> argmax(neg(win(l, i, d))) / (double) d);
        check("alpha158_imxd" + s, i -> (argmax(win(h, i, d)) - argmax(neg(win(l, i, d)))) / (double) d);
        double[] logVol = Arrays.stream(v).map(x -> Math.log(x + 1)).toArray();
        check("alpha158_corr" + s, i -> corr(win(c, i, d), win(logVol, i, d)));
        double[] cRatio = series(i -> i == 0 ? Double.NaN : c[i] / c[i - 1]);
        double[] vRatio = series(i -> i == 0 ? Double.NaN : Math.log(v[i] / v[i - 1] + 1));
        check("alpha158_cord" + s, i -> corr(win(cRatio, i, d), win(vRatio, i, d)));
        double[] up = series(i -> i == 0 ? Double.NaN : (c[i] > c[i - 1] ? 1 : 0));
        double[] down = series(i -> i == 0 ? Double.NaN : (c[i] < c[i - 1] ? 1 : 0));
        check("alpha158_cntp" + s, i -> mean(win(up, i, d)));
        check("alpha158_cntn" + s, i -> mean(win(down, i, d)));
        check("alpha158_cntd" + s, i -> mean(win(up, i, d)) - mean(win(down, i, d)));
        double[] gain = series(i -> i == 0 ? Double.NaN : Math.max(c[i] - c[i - 1], 0));
        double[] loss = series(i -> i == 0 ? Double.NaN : Math.max(c[i - 1] - c[i], 0));
        double[] move = series(i -> i == 0 ? Double.NaN : Math.abs(c[i] - c[i - 1]));
        check("alpha158_sump" + s, i -> sum(win(gain, i, d)) / (sum(win(move, i, d)) + 1e-12));
        check("alpha158_sumn" + s, i -> sum(win(loss, i, d)) / (sum(win(move, i, d)) + 1e-12));
        check("alpha158_sumd" + s, i -> (sum(win(gain, i, d)) - sum(win(loss, i, d))) / (sum(win(move, i, d)) + 1e-12));
        check("alpha158_vma" + s, i -> mean(win(v, i, d)) / (v[i] + 1e-12));
        check("alpha158_vstd" + s, i -> std(win(v, i, d)) / (v[i] + 1e-12));
        double[] wv = series(i -> i == 0 ? Double.NaN : Math.abs(c[i] / c[i - 1] - 1) * v[i]);
        check("alpha158_wvma" + s, i -> std(win(wv, i, d)) / (mean(win(wv, i, d)) + 1e-12));
        double[] vGain = series(i -> i == 0 ? Double.NaN : Math.max(v[i] - v[i - 1], 0));
        double[] vLoss = series(i -> i == 0 ? Double.NaN : Math.max(v[i - 1] - v[i], 0));
        double[] vMove = series(i -> i == 0 ? Double.NaN : Math.abs(v[i] - v[i - 1]));
        check("alpha158_vsump" + s, i -> sum(win(vGain, i, d)) / (sum(win(vMove, i, d)) + 1e-12));
        check("alpha158_vsumn" + s, i -> sum(win(vLoss, i, d)) / (sum(win(vMove, i, d)) + 1e-12));
        check("alpha158_vsumd" + s, i -> (sum(win(vGain, i, d)) - sum(win(vLoss, i, d))) / (sum(win(vMove, i, d)) + 1e-12));
    }

    // ---- direct evaluation ------------------------------------------------------------------------

    private static double[] series(IntToDoubleFunction f) {
        double[] out = new double[c.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(i);
        }
        return out;
    }

    /** The d values ending at i, or null before a full window. */
    private static double[] win(double[] x, int i, int d) {
        return i + 1 < d ? null : Arrays.copyOfRange(x, i - d + 1, i + 1);
    }

    private static double sum(double[] w) {
        return w == null ? Double.NaN : Arrays.stream(w).sum();
    }

    private static double mean(double[] w) {
        return w == null ? Double.NaN : sum(w) / w.length;
    }

    private static double std(double[] w) {
        if (w == null) {
            return Double.NaN;
        }
        double m = mean(w);
        return Math.sqrt(Arrays.stream(w).map(x -> (x - m) * (x - m)).sum() / (w.length - 1));
    }

    /** {slope, r², last residual} of w against 1..n. */
    private static double[] fit(double[] w) {
        if (w == null) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        int n = w.length;
        double xm = (n + 1) / 2.0;
        double ym = mean(w);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int k = 0; k < n; k++) {
            sxy += (k + 1 - xm) * (w[k] - ym);
            sxx += (k + 1 - xm) * (k + 1 - xm);
            syy += (w[k] - ym) * (w[k] - ym);
        }
        double slope = sxy / sxx;
        double intercept = ym - slope * xm;
        return new double[] {slope, sxy * sxy / (sxx * syy), w[n - 1] - (intercept + slope * n)};
    }

    private static double quantile(double[] w, double q) {
        if (w == null) {
            return Double.NaN;
        }
        double[] s = w.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    private static double rankPct(double[] w) {
        if (w == null) {
            return Double.NaN;
        }
        double x = w[w.length - 1];
        double less = Arrays.stream(w).filter(y -> y < x).count();
        double equal = Arrays.stream(w).filter(y -> y == x).count();
        return (less + (equal + 1) / 2.0) / w.length;
    }

    private static double argmax(double[] w) {
        if (w == null) {
            return Double.NaN;
        }
        int at = 0;
        for (int k = 1; k < w.length; k++) {
            if (w[k] > w[at]) {
                at = k;
            }
        }
        return at + 1;
    }

    private static double[] neg(double[] w) {
        return w == null ? null : Arrays.stream(w).map(x -> -x).toArray();
    }

    private static double corr(double[] x, double[] y) {
        if (x == null || y == null) {
            return Double.NaN;
        }
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int k = 0; k < x.length; k++) {
            sxy += (x[k] - mx) * (y[k] - my);
            sxx += (x[k] - mx) * (x[k] - mx);
            syy += (y[k] - my) * (y[k] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static void check(String name, IntToDoubleFunction reference) {
        FeatureKernel k = FeatureLibrary.standard().resolve(name).newKernel();
        MutableBarInput in = new MutableBarInput();
        List<String> bad = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < c.length; i++) {
            in.bar(b.ts()[i], o[i], h[i], l[i], c[i], v[i], b.vwap()[i]);
            double ours = k.update(in);
            if (i < k.warmUp() - 1) {
                assertThat(ours).as("%s at %d is in warm-up", name, i).isNaN();
                continue;
            }
            double ref = reference.applyAsDouble(i);
            compared++;
            boolean same = Double.isNaN(ref) ? Double.isNaN(ours) : Math.abs(ours - ref) <= 1e-9 * Math.max(1, Math.abs(ref));
            if (!same && bad.size() < 3) {
                bad.add("bar " + i + ": ours " + ours + " direct " + ref);
            }
        }
        assertThat(bad).as(name).isEmpty();
        assertThat(compared).as(name).isGreaterThan(500);
    }
}
