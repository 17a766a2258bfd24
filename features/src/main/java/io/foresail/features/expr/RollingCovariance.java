package io.foresail.features.expr;

/** Running shifted sums of two series over a window, for their Pearson correlation and covariance. */
final class RollingCovariance {
    private final RingBuffer xs;
    private final RingBuffer ys;
    private double kx = Double.NaN;
    private double ky = Double.NaN;
    private double sx;
    private double sy;
    private double sxx;
    private double syy;
    private double sxy;
    private int sinceResync;

    RollingCovariance(int capacity) {
        xs = new RingBuffer(capacity);
        ys = new RingBuffer(capacity);
    }

    void push(double x, double y) {
        if (Double.isNaN(kx) && !Double.isNaN(x) && !Double.isNaN(y)) {
            kx = x;
            ky = y;
        }
        boolean pair = !Double.isNaN(x) && !Double.isNaN(y);
        // A pair with either side NaN poisons both windows, so the two stay aligned.
        double ox = xs.push(pair ? x : Double.NaN);
        double oy = ys.push(pair ? y : Double.NaN);
        if (!Double.isNaN(ox) && !Double.isNaN(oy)) {
            remove(ox - kx, oy - ky);
        }
        if (pair) {
            add(x - kx, y - ky);
        }
        if (++sinceResync >= xs.capacity()) {
            resync();
        }
    }

    private void add(double dx, double dy) {
        sx += dx;
        sy += dy;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }

    private void remove(double dx, double dy) {
        sx -= dx;
        sy -= dy;
        sxx -= dx * dx;
        syy -= dy * dy;
        sxy -= dx * dy;
    }

    private void resync() {
        sinceResync = 0;
        double[] ax = xs.raw();
        double[] ay = ys.raw();
        int cap = ax.length;
        int n = xs.size();
        int start = xs.oldest();
        double mx = 0;
        double my = 0;
        int m = 0;
        for (int k = 0, j = start; k < n; k++, j = j + 1 == cap ? 0 : j + 1) {
            double x = ax[j];
            if (!Double.isNaN(x)) {
                mx += x;
                my += ay[j];
                m++;
            }
        }
        if (m == 0) {
            return;
        }
        double cx = mx / m;
        double cy = my / m;
        double tx = 0;
        double ty = 0;
        double txx = 0;
        double tyy = 0;
        double txy = 0;
        for (int k = 0, j = start; k < n; k++, j = j + 1 == cap ? 0 : j + 1) {
            double x = ax[j];
            if (!Double.isNaN(x)) {
                double dx = x - cx;
                double dy = ay[j] - cy;
                tx += dx;
                ty += dy;
                txx += dx * dx;
                tyy += dy * dy;
                txy += dx * dy;
            }
        }
        kx = cx;
        ky = cy;
        sx = tx;
        sy = ty;
        sxx = txx;
        syy = tyy;
        sxy = txy;
    }

    boolean valid() {
        return xs.valid();
    }

    /** Pearson correlation; NaN when either side is constant over the window. */
    double correlation() {
        int n = xs.size();
        double cxx = sxx - sx * sx / n;
        double cyy = syy - sy * sy / n;
        double cxy = sxy - sx * sy / n;
        // Relative tolerance: a "variance" at rounding level of the shifted sums is a constant series.
        if (cxx <= 1e-14 * (sxx + 1e-300) || cyy <= 1e-14 * (syy + 1e-300)) {
            return Double.NaN;
        }
        double r = cxy / Math.sqrt(cxx * cyy);
        return Math.max(-1.0, Math.min(1.0, r));
    }

    /** Least-squares slope of the first series on the second (a beta); NaN when the second is constant. */
    double slopeOnSecond() {
        int n = ys.size();
        double cyy = syy - sy * sy / n;
        if (cyy <= 1e-14 * (syy + 1e-300)) {
            return Double.NaN;
        }
        return (sxy - sx * sy / n) / cyy;
    }
}
