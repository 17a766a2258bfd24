package io.foresail.features.kernel;

/**
 * The values a feature can take by definition, both ends inclusive (a share lies in [0, 1], RSI in
 * [0, 100]); NaN, where a value is undefined, is always allowed. An infinite end means unbounded.
 * Documented with each feature and checked by the tests on degenerate markets, where rounding
 * residuals used to escape them.
 */
public record ValueRange(double min, double max) {
    public static final ValueRange ANY = new ValueRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    public static final ValueRange NON_NEGATIVE = new ValueRange(0, Double.POSITIVE_INFINITY);

    public ValueRange {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("not a range: [" + min + ", " + max + "]");
        }
    }

    public static ValueRange of(double min, double max) {
        return new ValueRange(min, max);
    }

    /** Whether {@code x} is NaN or within the range widened by {@code tolerance} times the bound's size (at least 1). */
    public boolean admits(double x, double tolerance) {
        return Double.isNaN(x)
                || x >= min - tolerance * Math.max(1.0, Math.abs(min)) && x <= max + tolerance * Math.max(1.0, Math.abs(max));
    }

    public boolean bounded() {
        return !equals(ANY);
    }

    @Override
    public String toString() {
        return "[" + text(min) + ", " + text(max) + "]";
    }

    private static String text(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
