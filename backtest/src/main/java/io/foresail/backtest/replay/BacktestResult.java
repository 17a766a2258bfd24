package io.foresail.backtest.replay;

import io.foresail.backtest.venue.SimulatedVenue;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.decision.Decision;

import java.util.List;

/**
 * What a replay produced, per bar of the tape ({@code starts}, UTC epoch seconds): equity after the
 * bar's fills marked at its close (dollars), gross and net exposure (dollars), dollars traded, and
 * the benchmark's closes. Also every
 * fill, the costs, the number of risk events, and the decisions when the replay kept them.
 * {@code label} is "IN-SAMPLE" when the period overlaps the model's training window, else empty.
 */
public record BacktestResult(String source, String label, long[] starts, double[] equity, double[] gross, double[] net,
                             double[] traded, double[] benchmarkClose, List<Fill> fills,
                             SimulatedVenue.Costs costs, long riskEvents, long orders, List<Decision> decisions,
                             double startingCash) {

    public int bars() {
        return starts.length;
    }

    public double finalEquity() {
        return equity[equity.length - 1];
    }
}
