package io.foresail.trading.risk;

import io.foresail.core.error.InvalidInputException;

/**
 * The realised covariance of the universe's bar returns: an exponentially weighted average of
 * return cross-products (zero mean, as RiskMetrics does for short horizons), shrunk towards its
 * own diagonal when read, so that 50 names on a few hundred effective observations still give a
 * well-conditioned matrix. Updated once per bar close with that bar's closes; a name without a bar
 * contributes a zero return for it. Per-bar units; not thread-safe.
 */
public final class CovarianceEstimate {
    private final int n;
    private final double decay;
    private final double shrinkage;
    private final int warmupBars;
    private final double[] cov;
    private final double[] lastClose;
    private final double[] ret;
    private int observed;
    /** 1 - decay^observed: the weight the EWMA has accumulated, to correct its bias towards the zero start. */
    private double correction;

    /**
     * @param halfLifeBars bars after which an observation's weight halves
     * @param shrinkage    weight of the diagonal target, 0 (sample) to 1 (diagonal only)
     * @param warmupBars   returns seen before the estimate is trusted
     */
    public CovarianceEstimate(int names, double halfLifeBars, double shrinkage, int warmupBars) {
        if (!(halfLifeBars >= 1)) {
            throw new InvalidInputException("covariance halflife_bars must be at least 1, got " + halfLifeBars);
        }
        if (!(shrinkage >= 0 && shrinkage <= 1)) {
            throw new InvalidInputException("covariance shrinkage must be in [0, 1], got " + shrinkage);
        }
        if (warmupBars < 1) {
            throw new InvalidInputException("covariance warmup_bars must be at least 1, got " + warmupBars);
        }
        this.n = names;
        this.decay = Math.pow(0.5, 1.0 / halfLifeBars);
        this.shrinkage = shrinkage;
        this.warmupBars = warmupBars;
        this.cov = new double[names * names];
        this.lastClose = new double[names];
        this.ret = new double[names];
        java.util.Arrays.fill(lastClose, Double.NaN);
    }

    /** Takes one bar's closes (NaN: no bar). */
    public void observe(double[] close) {
        boolean any = false;
        for (int i = 0; i < n; i++) {
            double c = close[i];
            double prev = lastClose[i];
            ret[i] = Double.isNaN(c) || Double.isNaN(prev) || prev <= 0 ? 0 : c / prev - 1;
            any |= ret[i] != 0;
            if (!Double.isNaN(c)) {
                lastClose[i] = c;
            }
        }
        if (!any && observed == 0) {
            return;
        }
        // Bias-corrected EWMA: the first observations are not shrunk towards the zero start.
        double a = 1 - decay;
        for (int i = 0; i < n; i++) {
            double ri = ret[i];
            int row = i * n;
            for (int j = 0; j <= i; j++) {
                cov[row + j] = decay * cov[row + j] + a * ri * ret[j];
            }
        }
        observed++;
        correction = 1 - Math.pow(decay, observed);
    }

    public boolean isWarm() {
        return observed >= warmupBars;
    }

    public int observed() {
        return observed;
    }

    public int warmupBars() {
        return warmupBars;
    }

    /** The book's predicted variance per bar, {@code w' S w} with the shrunk matrix S. */
    public double variance(double[] w) {
        if (correction == 0) {
            return 0;
        }
        double v = 0;
        for (int i = 0; i < n; i++) {
            double wi = w[i];
            if (wi == 0) {
                continue;
            }
            int row = i * n;
            double off = 0;
            for (int j = 0; j < i; j++) {
                off += cov[row + j] * w[j];
            }
            v += wi * wi * cov[row + i] + 2 * (1 - shrinkage) * wi * off;
        }
        return v / correction;
    }

    /** One name's variance per bar. */
    public double variance(int i) {
        return correction == 0 ? 0 : cov[i * n + i] / correction;
    }
}
