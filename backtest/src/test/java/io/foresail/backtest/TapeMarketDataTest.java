package io.foresail.backtest;

import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.tape.TapeMarketData;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.backtest.venue.SimulatedVenue;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.ReplayClock;
import io.foresail.trading.market.CrossSection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TapeMarketDataTest {

    @Test
    void eachBarArrivesOnceInOrderWhenItHasClosedWithItsSessionsEndMarked() {
        BarTape tape = TestTapes.randomWalk(3, 30, 1); // 2024-03-04: 26 bars, then 4 of the next session
        ReplayClock clock = new ReplayClock(tape.start(0));
        TapeMarketData market = new TapeMarketData(tape, TestTapes.GRID, clock);
        List<CrossSection> seen = new ArrayList<>();
        List<Instant> clockAt = new ArrayList<>();
        market.onBarClose(bar -> {
            seen.add(bar);
            clockAt.add(clock.now());
        });
        market.replay();
        assertThat(seen).hasSize(30);
        assertThat(seen.get(0).start()).isEqualTo(Instant.parse("2024-03-04T14:30:00Z"));
        assertThat(clockAt.get(0)).as("known at its end").isEqualTo(Instant.parse("2024-03-04T14:45:00Z"));
        assertThat(seen).filteredOn(CrossSection::sessionClose).extracting(CrossSection::start)
                .containsExactly(Instant.parse("2024-03-04T20:45:00Z"));
        assertThat(seen.get(26).close()[2]).isEqualTo(tape.close()[2][26]);
    }

    @Test
    void theVenueRefusesABarOutOfOrderOrOfAnotherUniverse() {
        BarTape tape = TestTapes.randomWalk(3, 5, 1);
        SimulatedVenue venue = new SimulatedVenue(tape.symbols(), ExecutionConfig.defaults(), new ReplayClock(tape.start(0)));
        venue.trade(tape.crossSection(1, false));
        assertThatThrownBy(() -> venue.trade(tape.crossSection(0, false))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("after bar");
        SimulatedVenue other = new SimulatedVenue(List.of("X", "Y", "Z"), ExecutionConfig.defaults(),
                new ReplayClock(tape.start(0)));
        assertThatThrownBy(() -> other.trade(tape.crossSection(0, false))).hasMessageContaining("another order");
    }
}
