package io.foresail.data.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Timeframe;
import io.foresail.data.TestBars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarStoreTest {
    @TempDir
    Path dir;

    private BarStore write(Path root, List<BarSeries> series) {
        BarStoreWriter w = BarStoreWriter.create(root, "NYSE", Timeframe.MIN_15, Adjustment.RAW, Map.of("source", "test"));
        series.forEach(w::put);
        return w.commit();
    }

    @Test
    void roundTripsEveryValueIncludingNaNVwapAndInvalidRows() {
        BarSeries.Builder b = TestBars.clean("AAPL", LocalDate.of(2024, 3, 4), 3, 1).toBuilder();
        b.add(b.build().tsMicros(0) + 1, -1, Double.NaN, Double.POSITIVE_INFINITY, 0, -5, Double.NaN, -3);
        BarSeries aapl = b.build();
        BarSeries msft = TestBars.clean("MSFT", LocalDate.of(2024, 3, 4), 3, 2);
        BarStore store = write(dir.resolve("s"), List.of(aapl, msft));
        assertThat(store.symbols()).containsExactly("AAPL", "MSFT");
        assertThat(store.read("AAPL")).isEqualTo(aapl);
        assertThat(store.read("MSFT")).isEqualTo(msft);
        assertThat(store.manifest().rows()).isEqualTo(aapl.size() + msft.size());
        assertThat(store.manifest().first()).isEqualTo(msft.start(0));
        assertThat(store.timeframe()).isEqualTo(Timeframe.MIN_15);
        assertThat(store.verify()).isEmpty();
    }

    @Test
    void sameBarsGiveTheSameBytesAndHashInAnyWriteOrder() throws Exception {
        BarSeries a = TestBars.clean("AAPL", LocalDate.of(2024, 3, 4), 5, 1);
        BarSeries m = TestBars.clean("MSFT", LocalDate.of(2024, 3, 4), 5, 2);
        BarStore s1 = write(dir.resolve("one"), List.of(a, m));
        BarStore s2 = write(dir.resolve("two"), List.of(m, a));
        assertThat(s1.manifest().contentSha256()).isEqualTo(s2.manifest().contentSha256());
        for (String f : List.of("manifest.json", "bars/AAPL.parquet", "bars/MSFT.parquet")) {
            assertThat(Files.readAllBytes(s1.root().resolve(f))).as(f).isEqualTo(Files.readAllBytes(s2.root().resolve(f)));
        }
        BarSeries changed = TestBars.clean("MSFT", LocalDate.of(2024, 3, 4), 5, 3);
        assertThat(write(dir.resolve("three"), List.of(a, changed)).manifest().contentSha256())
                .isNotEqualTo(s1.manifest().contentSha256());
    }

    @Test
    void verifyFindsACorruptedFileAndAStoreIsNeverOverwritten() throws Exception {
        BarStore s = write(dir.resolve("s"), List.of(TestBars.clean("AAPL", LocalDate.of(2024, 3, 4), 2, 1)));
        Path file = s.root().resolve("bars/AAPL.parquet");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);
        assertThat(s.verify()).singleElement().asString().contains("AAPL").contains("SHA-256");
        assertThatThrownBy(() -> write(dir.resolve("s"), List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> BarStore.open(dir.resolve("nothing")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("manifest.json is missing");
    }

    @Test
    void appendingKeepsUntouchedSymbolsAndRefusesAnotherTimeframe() {
        Path root = dir.resolve("s");
        write(root, List.of(TestBars.clean("AAPL", LocalDate.of(2024, 3, 4), 2, 1)));
        BarStoreWriter w = BarStoreWriter.createOrAppend(root, "NYSE", Timeframe.MIN_15, Adjustment.RAW, Map.of());
        w.put(TestBars.clean("MSFT", LocalDate.of(2024, 3, 4), 2, 2));
        assertThat(w.commit().symbols()).containsExactly("AAPL", "MSFT");
        assertThatThrownBy(() -> BarStoreWriter.createOrAppend(root, "NYSE", Timeframe.HOUR_1, Adjustment.RAW, Map.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("15Min");
    }
}
