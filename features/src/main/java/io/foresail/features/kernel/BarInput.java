package io.foresail.features.kernel;

/**
 * The bar a kernel is fed, with the market context at the same timestamp. A flyweight: the engine
 * refills one instance per bar, so kernels must read what they need inside
 * {@link FeatureKernel#update} and never keep the reference.
 *
 * <p>Prices are per share, volume in shares, {@code vwap} NaN when the source has none. Times are
 * UTC epoch microseconds of the bar's START. Returns are simple returns ({@code p1 / p0 - 1}).
 */
public interface BarInput {

    /**
     * The simple return {@code current / previous - 1} every returns-based value uses (the bar's own,
     * the benchmark's, the sector's); NaN when undefined (unknown or non-positive previous price).
     */
    static double simpleReturn(double previous, double current) {
        double r = current / previous - 1;
        return previous > 0 && Double.isFinite(r) ? r : Double.NaN;
    }

    long tsMicros();

    double open();

    double high();

    double low();

    double close();

    double volume();

    double vwap();

    /** The bar's slot in its trading session on the calendar grid, 0 for the opening bar. */
    int slotInSession();

    /** The number of grid bars in this bar's session (26 on a full 15-minute day, 14 on an early close). */
    int barsInSession();

    /**
     * An ordinal of the bar's trading session, increasing by one per trading day of the calendar,
     * so that kernels can tell a new session (and a skipped one) from the previous bar's.
     */
    int sessionOrdinal();

    /** The benchmark's return from its previous bar to this bar; NaN when the benchmark has no bar at this time. */
    double benchmarkReturn();

    /**
     * The equal-weight mean return, over this bar, of the other members of this symbol's sector
     * that have a bar at this time (leave-one-out, so a symbol is never regressed on itself); NaN
     * when no other member traded.
     */
    double sectorReturn();
}
