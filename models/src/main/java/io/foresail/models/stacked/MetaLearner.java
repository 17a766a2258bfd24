package io.foresail.models.stacked;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.Task;
import io.foresail.models.linear.Cholesky;

import java.util.Arrays;
import java.util.List;

/**
 * The level-1 model of a stacked ensemble: a penalised linear model on standardised inputs, the
 * first {@code members} of which are level-0 predictions and the rest passthrough raw features.
 * The output is {@code z = intercept + Σ weights[j] · (x[j] − mean[j]) / scale[j]} for a
 * regression target, and {@code σ(z)} (the probability of label 1) for a classification target.
 * A missing (NaN) input counts as its mean, so it adds nothing.
 *
 * <p>Fitting minimises the mean squared error (ridge) or the mean log-loss (logistic ridge, by
 * iteratively reweighted least squares) plus {@code alpha/2 · |weights|²}; the intercept is not
 * penalised. With {@code nonNegative}, member weights are kept at or above zero (coordinate descent
 * on each reweighted problem), so no member enters the blend upside down. Every step runs in a fixed
 * order: the same rows give the same bytes.
 *
 * @param inputs    input names: member names, then passthrough feature names
 * @param members   how many leading inputs are member predictions
 * @param mean      per input, its mean on the fitting rows
 * @param scale     per input, its standard deviation there (1 where it was constant)
 * @param weights   per input, on the standardised scale
 * @param intercept on the link's scale
 * @param logistic  whether the output goes through the logistic function
 */
public record MetaLearner(@JsonProperty("inputs") List<String> inputs,
                          @JsonProperty("members") int members,
                          @JsonProperty("mean") double[] mean,
                          @JsonProperty("scale") double[] scale,
                          @JsonProperty("weights") double[] weights,
                          @JsonProperty("intercept") double intercept,
                          @JsonProperty("logistic") boolean logistic) {

    private static final int MAX_NEWTON = 50;
    private static final int MAX_SWEEPS = 10_000;

    public MetaLearner {
        inputs = List.copyOf(inputs);
        int d = inputs.size();
        if (members < 1 || members > d || mean.length != d || scale.length != d || weights.length != d) {
            throw new InvalidInputException("meta-learner of " + d + " inputs (" + members + " members) has "
                    + mean.length + " means, " + scale.length + " scales and " + weights.length + " weights");
        }
    }

    /**
     * Fits on {@code n} rows.
     *
     * @param inputs      input names, members first
     * @param columns     per input, its {@code n} values (member predictions must be finite)
     * @param label       the target per row, finite (0/1 for classification)
     * @param members     how many leading inputs are member predictions
     * @param alpha       penalty on the standardised weights, at least 0
     * @param nonNegative keep member weights at or above zero
     */
    public static MetaLearner fit(List<String> inputs, double[][] columns, double[] label, int members, Task task,
                                  double alpha, boolean nonNegative) {
        int d = columns.length;
        int n = label.length;
        if (n < d + 2) {
            throw new InvalidInputException("the meta-learner needs more rows than inputs: " + n + " out-of-fold rows for "
                    + d + " inputs");
        }
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double[] c = columns[j];
            if (c.length != n) {
                throw new IllegalArgumentException("column " + inputs.get(j) + " has " + c.length + " rows, label " + n);
            }
            double s = 0;
            int k = 0;
            for (double v : c) {
                if (!Double.isNaN(v)) {
                    s += v;
                    k++;
                }
            }
            if (j < members && k < n) {
                throw new InvalidInputException("member " + inputs.get(j) + " has " + (n - k)
                        + " missing out-of-fold predictions on the meta-learner's rows");
            }
            mean[j] = k == 0 ? 0 : s / k;
            double ss = 0;
            for (double v : c) {
                if (!Double.isNaN(v)) {
                    ss += (v - mean[j]) * (v - mean[j]);
                }
            }
            double sd = k < 2 ? 0 : Math.sqrt(ss / k);
            scale[j] = sd > 0 ? sd : 1;
        }
        // z[i * d + j]: the standardised design, missing values at 0 (their mean).
        double[] z = new double[n * d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                double v = columns[j][i];
                z[i * d + j] = Double.isNaN(v) ? 0 : (v - mean[j]) / scale[j];
            }
        }
        boolean logistic = task == Task.CLASSIFICATION;
        double[] beta = new double[d + 1]; // intercept, then weights
        if (logistic) {
            double p = Arrays.stream(label).average().orElse(0.5);
            beta[0] = Math.log(Math.max(1e-9, p) / Math.max(1e-9, 1 - p));
        }
        double[] w = new double[n];
        double[] r = new double[n];
        for (int iter = 0; iter < (logistic ? MAX_NEWTON : 1); iter++) {
            for (int i = 0; i < n; i++) {
                if (logistic) {
                    double e = beta[0];
                    for (int j = 0; j < d; j++) {
                        e += beta[j + 1] * z[i * d + j];
                    }
                    double p = sigmoid(e);
                    w[i] = Math.max(p * (1 - p), 1e-10);
                    r[i] = e + (label[i] - p) / w[i];
                } else {
                    w[i] = 1;
                    r[i] = label[i];
                }
            }
            double[] next = weightedLeastSquares(z, n, d, w, r, alpha, nonNegative ? members : 0, beta);
            double change = 0;
            for (int j = 0; j <= d; j++) {
                change = Math.max(change, Math.abs(next[j] - beta[j]));
            }
            beta = next;
            if (change < 1e-10) {
                break;
            }
        }
        return new MetaLearner(inputs, members, mean, scale, Arrays.copyOfRange(beta, 1, d + 1), beta[0], logistic);
    }

    /**
     * Minimises {@code (1/n) Σ w_i (r_i − b − z_i·β)² / 2 + alpha/2 |β|²}, with {@code β_j ≥ 0}
     * for {@code j < constrained}; returns {@code [b, β...]}. Unconstrained: the normal equations by
     * Cholesky. Constrained: cyclic coordinate descent from {@code start}, which converges to the
     * unique minimum of this strictly convex problem.
     */
    private static double[] weightedLeastSquares(double[] z, int n, int d, double[] w, double[] r, double alpha,
                                                 int constrained, double[] start) {
        int p = d + 1;
        double[] a = new double[p * p];
        double[] c = new double[p];
        double[] x = new double[p];
        x[0] = 1;
        for (int i = 0; i < n; i++) {
            System.arraycopy(z, i * d, x, 1, d);
            double wi = w[i] / n;
            for (int j = 0; j < p; j++) {
                double v = wi * x[j];
                c[j] += v * r[i];
                for (int k = 0; k <= j; k++) {
                    a[j * p + k] += v * x[k];
                }
            }
        }
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < j; k++) {
                a[k * p + j] = a[j * p + k];
            }
            if (j > 0) {
                a[j * p + j] += alpha;
            }
        }
        if (constrained == 0) {
            return Cholesky.solve(a, c, p);
        }
        double[] beta = start.clone();
        for (int j = 1; j <= constrained; j++) {
            beta[j] = Math.max(0, beta[j]);
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double change = 0;
            for (int j = 0; j < p; j++) {
                if (a[j * p + j] <= 0) {
                    beta[j] = 0;
                    continue;
                }
                double s = c[j];
                for (int k = 0; k < p; k++) {
                    if (k != j) {
                        s -= a[j * p + k] * beta[k];
                    }
                }
                double v = s / a[j * p + j];
                if (j >= 1 && j <= constrained && v < 0) {
                    v = 0;
                }
                change = Math.max(change, Math.abs(v - beta[j]));
                beta[j] = v;
            }
            if (change < 1e-13) {
                break;
            }
        }
        return beta;
    }

    /** The output for {@code n} rows of inputs ({@code columns[j][i]}, in {@link #inputs} order). */
    public double[] predict(double[][] columns, int n) {
        if (columns.length != inputs.size()) {
            throw new IllegalArgumentException("meta-learner takes " + inputs.size() + " inputs, got " + columns.length);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double e = intercept;
            for (int j = 0; j < columns.length; j++) {
                double v = columns[j][i];
                if (!Double.isNaN(v)) {
                    e += weights[j] * (v - mean[j]) / scale[j];
                }
            }
            out[i] = logistic ? sigmoid(e) : e;
        }
        return out;
    }

    /** Each member's weight on its raw (unstandardised) prediction: {@code weights[j] / scale[j]}. */
    public double rawWeight(int input) {
        return weights[input] / scale[input];
    }

    private static double sigmoid(double e) {
        return 1 / (1 + Math.exp(-e));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetaLearner m && inputs.equals(m.inputs) && members == m.members
                && Arrays.equals(mean, m.mean) && Arrays.equals(scale, m.scale) && Arrays.equals(weights, m.weights)
                && Double.compare(intercept, m.intercept) == 0 && logistic == m.logistic;
    }

    @Override
    public int hashCode() {
        return 31 * inputs.hashCode() + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "MetaLearner" + inputs + " weights " + Arrays.toString(weights) + " intercept " + intercept
                + (logistic ? " (logistic)" : "");
    }
}
