package io.foresail.features.expr;

/**
 * Running sums over a window of one series, for mean, variance and the least-squares line against
 * the bar index (1 = oldest). Sums are kept of {@code x - shift} to avoid cancellation at price
 * levels, and are recomputed exactly from the window every {@code capacity} pushes, so rounding
 * drift is bounded by one window of updates. A window whose values are all equal (a halted
 * symbol's prices, a run of zero volume or zero changes) is exact: its sums are reset to the exact
 * state of a constant window, so its sum is {@code n x}, its deviation 0 and its R² undefined, with
 * no rounding residual for a {@code +1e-12} guard to blow up. Both paths (batch and live) push the
 * same sequence, so they also resynchronise at the same bars and agree bitwise.
 */
final class RollingMoments {
    final RingBuffer window;
    private double shift = Double.NaN;
    private double s1;
    private double s2;
    private double si;
    private int sinceResync;
    private double last = Double.NaN;
    /** How many of the newest pushes equal {@link #last} (0 after a NaN). */
    private int run;

    RollingMoments(int capacity) {
        window = new RingBuffer(capacity);
    }

    void push(double x) {
        run = x == last ? run + 1 : Double.isNaN(x) ? 0 : 1;
        last = x;
        if (Double.isNaN(shift) && !Double.isNaN(x)) {
            shift = x;
        }
        boolean wasFull = window.full();
        double dropped = window.push(x);
        double d = Double.isNaN(x) ? 0.0 : x - shift;
        double o = Double.isNaN(dropped) ? 0.0 : dropped - shift;
        if (wasFull) {
            si = si - s1 + window.capacity() * d;
            s1 += d - o;
            s2 += d * d - o * o;
        } else {
            s1 += d;
            s2 += d * d;
            si += window.size() * d;
        }
        if (run >= window.size()) {
            // Every value held equals x: the exact sums of x - x are zero.
            shift = x;
            s1 = 0;
            s2 = 0;
            si = 0;
            sinceResync = 0;
        } else if (++sinceResync >= window.capacity()) {
            resync();
        }
    }

    private void resync() {
        sinceResync = 0;
        double[] a = window.raw();
        int cap = a.length;
        int n = window.size();
        int start = window.oldest();
        double sum = 0;
        int m = 0;
        for (int k = 0, j = start; k < n; k++, j = j + 1 == cap ? 0 : j + 1) {
            double v = a[j];
            if (!Double.isNaN(v)) {
                sum += v;
                m++;
            }
        }
        if (m == 0) {
            return;
        }
        double c = sum / m;
        double t1 = 0;
        double t2 = 0;
        double ti = 0;
        for (int k = 0, j = start; k < n; k++, j = j + 1 == cap ? 0 : j + 1) {
            double v = a[j];
            if (!Double.isNaN(v)) {
                double d = v - c;
                t1 += d;
                t2 += d * d;
                ti += (k + 1) * d;
            }
        }
        shift = c;
        s1 = t1;
        s2 = t2;
        si = ti;
    }

    boolean valid() {
        return window.valid();
    }

    double sum() {
        int n = window.size();
        return n * shift + s1;
    }

    double mean() {
        return shift + s1 / window.size();
    }

    /** Centered sum of squares, never negative. */
    double centeredSquares() {
        double c = s2 - s1 * s1 / window.size();
        return c > 0 ? c : 0.0;
    }

    /** Sample variance (ddof = 1), as pandas and qlib compute it. */
    double sampleVariance() {
        int n = window.size();
        return n < 2 ? Double.NaN : centeredSquares() / (n - 1);
    }

    /** Population variance (ddof = 0), as most technical-analysis libraries compute it. */
    double populationVariance() {
        return centeredSquares() / window.size();
    }

    /** Σ (i - ī)(x_i - x̄) with i = 1..n: the covariance numerator against the index. */
    double indexCovariance() {
        int n = window.size();
        return si - (n + 1) / 2.0 * s1;
    }

    /** Σ (i - ī)² for i = 1..n. */
    double indexSquares() {
        double n = window.size();
        return n * (n * n - 1) / 12.0;
    }
}
