package io.foresail.alpacasim.market;

import io.foresail.core.market.Bar;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MinuteBarsTest {

    /** A valid bar from fractions: the open, close and VWAP placed inside [low, high]. */
    private static Bar bar(double low, double range, double openAt, double closeAt, double vwapAt, long volume,
                           long trades, int slot) {
        double high = low + range;
        return new Bar("AAA", Instant.parse("2024-03-04T14:30:00Z").plusSeconds(900L * slot), low + range * openAt, high,
                low, low + range * closeAt, volume, low + range * vwapAt, trades);
    }

    @Property(seed = "20261202", tries = 2000)
    void theMinutesAggregateBackToTheStoredBar(@ForAll @DoubleRange(min = 1, max = 1000) double low,
                                               @ForAll @DoubleRange(min = 0, max = 50) double range,
                                               @ForAll @DoubleRange(min = 0, max = 1) double openAt,
                                               @ForAll @DoubleRange(min = 0, max = 1) double closeAt,
                                               @ForAll @DoubleRange(min = 0, max = 1) double vwapAt,
                                               @ForAll @LongRange(min = 0, max = 5_000_000) long volume,
                                               @ForAll @LongRange(min = 0, max = 20_000) long trades,
                                               @ForAll @IntRange(min = 0, max = 25) int slot,
                                               @ForAll long seed) {
        Bar b = bar(low, range, openAt, closeAt, vwapAt, volume, trades, slot);
        List<Bar> minutes = MinuteBars.of(b, 15, seed);
        if (volume == 0) {
            assertThat(minutes).isEmpty();
            return;
        }
        assertThat(minutes.get(0).open()).isEqualTo(b.open());
        assertThat(minutes.get(minutes.size() - 1).close()).isEqualTo(b.close());
        assertThat(minutes.stream().mapToDouble(Bar::high).max().orElseThrow()).isEqualTo(b.high());
        assertThat(minutes.stream().mapToDouble(Bar::low).min().orElseThrow()).isEqualTo(b.low());
        assertThat(minutes.stream().mapToDouble(Bar::volume).sum()).isEqualTo((double) volume);
        assertThat(minutes.stream().mapToLong(Bar::tradeCount).sum()).isEqualTo(Math.max(trades, minutes.size()));
        double notional = 0;
        Instant previous = null;
        for (int j = 0; j < minutes.size(); j++) {
            Bar m = minutes.get(j);
            assertThat(m.low()).isLessThanOrEqualTo(Math.min(m.open(), m.close()));
            assertThat(m.high()).isGreaterThanOrEqualTo(Math.max(m.open(), m.close()));
            assertThat(m.vwap()).isBetween(m.low(), m.high());
            assertThat(m.volume()).isPositive();
            assertThat(m.tradeCount()).isPositive();
            assertThat(m.start()).isBetween(b.start(), b.start().plusSeconds(14 * 60));
            assertThat(m.start().getEpochSecond() % 60).isZero();
            if (previous != null) {
                assertThat(m.start()).isAfter(previous);
                assertThat(m.open()).isEqualTo(minutes.get(j - 1).close()); // no gaps inside the bar
            }
            previous = m.start();
            notional += m.volume() * m.vwap();
        }
        // The sums of products round: the aggregate VWAP is the stored one to ~1e-15 relative.
        assertThat(notional / volume).isCloseTo(b.vwap(), within(1e-12 * b.vwap()));
        assertThat(MinuteBars.of(b, 15, seed)).as("same seed, same minutes").isEqualTo(minutes);
    }

    @Test
    void differentSeedsGiveDifferentPathsAndAnInvalidBarIsRefusedNamingIt() {
        Bar b = bar(100, 2, 0.3, 0.6, 0.5, 90_000, 900, 0);
        assertThat(MinuteBars.of(b, 15, 1)).hasSize(15).isNotEqualTo(MinuteBars.of(b, 15, 2));
        Bar broken = new Bar("BAD", b.start(), 101, 100.5, 100, 100.2, 10, 100.3, 1);
        assertThatThrownBy(() -> MinuteBars.of(broken, 15, 1)).hasMessageContaining("BAD")
                .hasMessageContaining("not a valid bar");
    }
}
