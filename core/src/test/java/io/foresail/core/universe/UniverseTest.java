package io.foresail.core.universe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresail.core.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UniverseTest {
    @TempDir
    Path dir;

    @Test
    void defaultUniverseHasFiftyEquitiesOverAllElevenSectorsAndSpy() {
        Universe u = Universe.defaultUniverse();
        assertThat(u.equities()).hasSize(50);
        assertThat(u.benchmark().symbol()).isEqualTo("SPY");
        assertThat(u.equities().stream().map(Equity::sector).distinct()).hasSize(11);
        assertThat(u.sectorOf("JPM")).isEqualTo(Sector.FINANCIALS);
        assertThat(u.allSymbols()).hasSize(51).endsWith("SPY");
    }

    @Test
    void errorsNameTheFileAndField() throws Exception {
        Path f = dir.resolve("u.yaml");
        Files.writeString(f, "benchmark: SPY\nequities:\n  - {symbol: AAPL, sector: Tech}\n");
        assertThatThrownBy(() -> Universe.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("equities[0].sector")
                .hasMessageContaining("unknown sector 'Tech'");
        Files.writeString(f, "benchmark: SPY\nbenchmrk_name: S&P\nequities: [{symbol: AAPL, sector: Energy}]\n");
        assertThatThrownBy(() -> Universe.load(f)).hasMessageContaining("unknown field 'benchmrk_name'");
        Files.writeString(f, "benchmark: SPY\nequitiez: []\n");
        assertThatThrownBy(() -> Universe.load(f)).hasMessageContaining("field 'equities'");
        Files.writeString(f, "benchmark: SPY\nequities:\n  - {symbol: AAPL, sector: Energy}\n  - {symbol: AAPL, sector: Energy}\n");
        assertThatThrownBy(() -> Universe.load(f)).hasMessageContaining("AAPL is listed twice");
    }
}
