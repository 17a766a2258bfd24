package io.foresail.features.library;

import io.foresail.features.kernel.BarInput;
import io.foresail.features.kernel.FeatureKernel;
import io.foresail.features.kernel.Requirement;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Session-aware features, family {@code intra}, for intraday timeframes: where the bar sits in
 * its session, the overnight gap, the close's position in the day's range so far, and its
 * distance from the session VWAP. All read only the current session's bars up to this one (and,
 * for the gap, the previous session's last close).
 */
public final class Intraday {
    public static final String FAMILY = "intra";
    static final String VERSION = "intra/1";
    private static final Set<Requirement> INTRADAY = Set.of(Requirement.INTRADAY);

    private Intraday() {
    }

    public static List<Indicator> indicators() {
        List<Indicator> out = new ArrayList<>();
        out.add(session("tod", "frac", "Time of day: the bar's slot over the session's bar count, 0 at the open",
                () -> new SessionKernel("tod") {
                    @Override
                    double value(BarInput bar) {
                        return (double) bar.slotInSession() / bar.barsInSession();
                    }
                }).within(0, 1));
        out.add(session("barstoclose", "count", "Bars left in the session after this one",
                () -> new SessionKernel("barstoclose") {
                    @Override
                    double value(BarInput bar) {
                        return bar.barsInSession() - bar.slotInSession() - 1;
                    }
                }).within(0, Double.POSITIVE_INFINITY));
        out.add(session("gap", "overnight",
                "Overnight gap: this session's first open over the previous session's last close, minus 1; "
                        + "NaN when the previous trading session is missing from the data",
                GapKernel::new));
        out.add(session("range", "position", "Close within the session's low-high range so far, 0..1 (0.5 on a flat range)",
                RangeKernel::new).within(0, 1));
        out.add(session("vwapdist", "session",
                "Close over the session VWAP so far (bar VWAP, or typical price when missing, volume-weighted), minus 1",
                VwapKernel::new));
        return out;
    }

    private static Indicator session(String name, String variant, String description, Supplier<FeatureKernel> kernels) {
        return new Indicator(FAMILY, name, description, List.of(variant), List.of(0), 0, true, java.util.Map.of(),
                (w, v) -> new Indicator.Definition(VERSION + ":" + name, INTRADAY, kernels));
    }

    private abstract static class SessionKernel implements FeatureKernel {
        private final String id;

        SessionKernel(String id) {
            this.id = id;
        }

        abstract double value(BarInput bar);

        @Override
        public int warmUp() {
            return 1;
        }

        @Override
        public String version() {
            return VERSION + ":" + id;
        }

        @Override
        public double update(BarInput bar) {
            double v = value(bar);
            return Double.isFinite(v) ? v : Double.NaN;
        }
    }

    private static final class GapKernel extends SessionKernel {
        private int session = Integer.MIN_VALUE;
        private double lastClose = Double.NaN;
        private double gap = Double.NaN;

        GapKernel() {
            super("gap");
        }

        @Override
        double value(BarInput bar) {
            if (bar.sessionOrdinal() != session) {
                gap = session == bar.sessionOrdinal() - 1 && lastClose > 0 ? bar.open() / lastClose - 1 : Double.NaN;
                session = bar.sessionOrdinal();
            }
            lastClose = bar.close();
            return gap;
        }
    }

    private static final class RangeKernel extends SessionKernel {
        private int session = Integer.MIN_VALUE;
        private double high;
        private double low;

        RangeKernel() {
            super("range");
        }

        @Override
        double value(BarInput bar) {
            if (bar.sessionOrdinal() != session) {
                session = bar.sessionOrdinal();
                high = bar.high();
                low = bar.low();
            } else {
                high = Math.max(high, bar.high());
                low = Math.min(low, bar.low());
            }
            double range = high - low;
            return range > 0 ? (bar.close() - low) / range : 0.5;
        }
    }

    private static final class VwapKernel extends SessionKernel {
        private int session = Integer.MIN_VALUE;
        private double notional;
        private double volume;

        VwapKernel() {
            super("vwapdist");
        }

        @Override
        double value(BarInput bar) {
            if (bar.sessionOrdinal() != session) {
                session = bar.sessionOrdinal();
                notional = 0;
                volume = 0;
            }
            double price = Double.isNaN(bar.vwap()) ? (bar.high() + bar.low() + bar.close()) / 3 : bar.vwap();
            notional += price * bar.volume();
            volume += bar.volume();
            return volume > 0 ? bar.close() / (notional / volume) - 1 : Double.NaN;
        }
    }
}
