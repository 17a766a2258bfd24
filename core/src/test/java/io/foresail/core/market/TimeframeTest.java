package io.foresail.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresail.core.error.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeframeTest {
    @Test
    void parsesAlpacaAndShortNotation() {
        assertThat(Timeframe.parse("15Min")).isEqualTo(Timeframe.MIN_15);
        assertThat(Timeframe.parse("15m")).isEqualTo(Timeframe.MIN_15);
        assertThat(Timeframe.parse("1Hour").duration()).isEqualTo(Duration.ofHours(1));
        assertThat(Timeframe.parse("1d").isIntraday()).isFalse();
        assertThat(Timeframe.HOUR_1.alpacaName()).isEqualTo("1Hour");
    }

    @Test
    void rejectsNonsenseWithTheValueInTheMessage() {
        assertThatThrownBy(() -> Timeframe.parse("15 parsecs")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("15 parsecs");
        assertThatThrownBy(() -> Timeframe.parse("2Day")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Timeframe.parse("60Min")).isInstanceOf(InvalidInputException.class);
    }
}
