package io.foresail.trading.risk;

import java.time.LocalDate;
import java.util.List;

/**
 * What the risk rules read at one decision: the universe and its sectors, the covariance of
 * returns, the account's equity with its high-water mark and the session's opening equity, and
 * the model's measured information coefficient. Owned and advanced by one decision path; rules
 * read it and keep their own latches (a halted drawdown ladder, a day's loss stop).
 */
public final class RiskState {
    private final List<String> symbols;
    private final int[] sectorOf;
    private final List<String> sectors;
    private final CovarianceEstimate covariance;
    private final double barsPerYear;
    private double equity = Double.NaN;
    private double peakEquity = Double.NaN;
    private double sessionOpenEquity = Double.NaN;
    private LocalDate session;
    private double modelIc = Double.NaN;

    public RiskState(List<String> symbols, int[] sectorOf, List<String> sectors, CovarianceEstimate covariance,
                     double barsPerYear) {
        this.symbols = List.copyOf(symbols);
        this.sectorOf = sectorOf.clone();
        this.sectors = List.copyOf(sectors);
        this.covariance = covariance;
        this.barsPerYear = barsPerYear;
    }

    /** Takes the account's equity at the decision of a bar of {@code date}'s session. */
    public void observeEquity(LocalDate date, double equityNow) {
        if (!date.equals(session)) {
            session = date;
            sessionOpenEquity = equityNow;
        }
        equity = equityNow;
        peakEquity = Double.isNaN(peakEquity) ? equityNow : Math.max(peakEquity, equityNow);
    }

    public void modelIc(double ic) {
        this.modelIc = ic;
    }

    public List<String> symbols() {
        return symbols;
    }

    public String symbol(int i) {
        return symbols.get(i);
    }

    /** Sector index of name {@code i} into {@link #sectors()}. */
    public int sectorOf(int i) {
        return sectorOf[i];
    }

    public List<String> sectors() {
        return sectors;
    }

    public CovarianceEstimate covariance() {
        return covariance;
    }

    /** Bars per year of the timeframe, to annualise per-bar variances. */
    public double barsPerYear() {
        return barsPerYear;
    }

    /** The book's predicted annualised volatility for {@code weights}. */
    public double annualVolatility(double[] weights) {
        return Math.sqrt(Math.max(0, covariance.variance(weights)) * barsPerYear);
    }

    public double equity() {
        return equity;
    }

    public double peakEquity() {
        return peakEquity;
    }

    /** Fall from the high-water mark, 0 or positive (0.05 = 5 % below the peak). */
    public double drawdown() {
        return peakEquity > 0 ? Math.max(0, 1 - equity / peakEquity) : 0;
    }

    /** Loss since the session's first decision, 0 or positive. */
    public double sessionLoss() {
        return sessionOpenEquity > 0 ? Math.max(0, 1 - equity / sessionOpenEquity) : 0;
    }

    public LocalDate session() {
        return session;
    }

    /** The model's measured IC (out of sample), {@code NaN} when unknown. */
    public double modelIc() {
        return modelIc;
    }
}
