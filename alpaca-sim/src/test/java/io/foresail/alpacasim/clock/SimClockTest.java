package io.foresail.alpacasim.clock;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimClockTest {
    private static final Instant START = Instant.parse("2024-03-04T14:30:00Z");

    @Test
    void marketTimeRunsAtSpeedTimesRealTimeAndHoldsStillWhenStepped() {
        AtomicLong wall = new AtomicLong(1_000_000_000L);
        SimClock clock = new SimClock(START, 60, wall::get);
        wall.addAndGet(2_000_000_000L); // two real seconds
        assertThat(clock.now()).isEqualTo(START.plusSeconds(120));
        clock.setSpeed(0);
        wall.addAndGet(5_000_000_000L);
        assertThat(clock.now()).as("stepped: still").isEqualTo(START.plusSeconds(120));
        clock.advanceTo(START.plusSeconds(600));
        assertThat(clock.now()).isEqualTo(START.plusSeconds(600));
        clock.advanceTo(START);
        assertThat(clock.now()).as("never backwards").isEqualTo(START.plusSeconds(600));
        clock.setSpeed(3600);
        wall.addAndGet(500_000_000L);
        assertThat(clock.now()).isEqualTo(START.plusSeconds(600 + 1800));
        assertThatThrownBy(() -> clock.setSpeed(-1)).hasMessageContaining("speed");
    }
}
