package io.foresail.models.linear;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelTrainer;
import io.foresail.models.SearchSpace;
import io.foresail.models.Task;

import java.util.List;
import java.util.Map;

/**
 * Ridge regression solved exactly: features are standardised with the training rows' mean and
 * deviation (missing values become the mean), then {@code (XᵀX + λ n I) w = Xᵀ (y - ȳ)} is solved
 * by Cholesky. Exact and deterministic (no SGD epochs, no learning rate), cheap for the stacking
 * meta-learner and a useful linear baseline. Optional non-negative weights (for stacking) are found
 * by projected coordinate descent on the same system. Regression only.
 */
public final class RidgeTrainer implements ModelTrainer {
    public static final String TYPE = "ridge";

    private static final SearchSpace SPACE = new SearchSpace(TYPE, List.of(
            SearchSpace.log("lambda", 1e-2, 1e-6, 10),
            SearchSpace.integer("non_negative", 0, 0, 1)));

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SearchSpace searchSpace() {
        return SPACE;
    }

    @Override
    public Model fit(FitRequest r) {
        if (r.task() != Task.REGRESSION) {
            throw new InvalidInputException("ridge fits regression targets only; use xgboost or lightgbm for "
                    + r.target() + " (" + r.task() + ")");
        }
        double lambda = r.hyperparameters().getDouble("lambda");
        boolean nonNegative = r.hyperparameters().getInt("non_negative") == 1;
        FeatureMatrix x = r.train().x();
        float[] y = r.train().y();
        int n = x.rows();
        int p = x.cols();
        if (n < 2) {
            throw new InvalidInputException("ridge needs at least 2 training rows, got " + n);
        }
        double[] mean = new double[p];
        double[] scale = new double[p];
        int[] count = new int[p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                float v = x.get(i, j);
                if (!Float.isNaN(v)) {
                    mean[j] += v;
                    count[j]++;
                }
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] = count[j] == 0 ? 0 : mean[j] / count[j];
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                float v = x.get(i, j);
                if (!Float.isNaN(v)) {
                    double d = v - mean[j];
                    scale[j] += d * d;
                }
            }
        }
        for (int j = 0; j < p; j++) {
            double sd = count[j] < 2 ? 0 : Math.sqrt(scale[j] / (count[j] - 1));
            // A constant or empty column carries no information: scale 0 makes its input 0.
            scale[j] = sd > 0 ? 1 / sd : 0;
        }
        double yMean = 0;
        for (float v : y) {
            yMean += v;
        }
        yMean /= n;
        double[] gram = new double[p * p];
        double[] rhs = new double[p];
        accumulate(x, y, yMean, mean, scale, gram, rhs, r.threads());
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < a; b++) {
                gram[b * p + a] = gram[a * p + b];
            }
            gram[a * p + a] += lambda * n;
        }
        double[] w = nonNegative ? nonNegativeSolve(gram, rhs, p) : Cholesky.solve(gram, rhs, p);
        ModelCard card = r.provenance().card(TYPE, 0, Map.of());
        return new RidgeModel(card, new RidgeModel.Coefficients(mean, scale, w, yMean));
    }

    /**
     * Adds ZᵀZ (lower triangle) and Zᵀ(y - ȳ) of the standardised rows Z, a block of rows at a time
     * held column-major, so each cell is a dot product over contiguous memory. Columns are split
     * across {@code threads}; each cell is summed by one thread in row order, so the result does not
     * depend on the thread count.
     */
    static void accumulate(FeatureMatrix x, float[] y, double yMean, double[] mean, double[] scale, double[] gram,
                           double[] rhs, int threads) {
        int n = x.rows();
        int p = x.cols();
        int block = 512;
        double[] z = new double[p * block];
        double[] t = new double[block];
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
        try {
            for (int start = 0; start < n; start += block) {
                int m = Math.min(block, n - start);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < p; j++) {
                        float v = x.get(start + i, j);
                        z[j * block + i] = Float.isNaN(v) ? 0 : (v - mean[j]) * scale[j];
                    }
                    t[i] = y[start + i] - yMean;
                }
                pool.submit(() -> java.util.stream.IntStream.range(0, p).parallel().forEach(a -> {
                    int za = a * block;
                    double rs = 0;
                    for (int i = 0; i < m; i++) {
                        rs += z[za + i] * t[i];
                    }
                    rhs[a] += rs;
                    for (int b = 0; b <= a; b++) {
                        int zb = b * block;
                        double s = 0;
                        for (int i = 0; i < m; i++) {
                            s += z[za + i] * z[zb + i];
                        }
                        gram[a * p + b] += s;
                    }
                })).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fitting ridge", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** Minimises ½wᵀAw - bᵀw subject to w ≥ 0 by cyclic coordinate descent (A is positive definite). */
    static double[] nonNegativeSolve(double[] a, double[] b, int p) {
        double[] w = new double[p];
        for (int sweep = 0; sweep < 10_000; sweep++) {
            double change = 0;
            for (int j = 0; j < p; j++) {
                double g = b[j];
                for (int k = 0; k < p; k++) {
                    if (k != j) {
                        g -= a[j * p + k] * w[k];
                    }
                }
                double next = Math.max(0, g / a[j * p + j]);
                change = Math.max(change, Math.abs(next - w[j]));
                w[j] = next;
            }
            if (change < 1e-13) {
                break;
            }
        }
        return w;
    }
}
