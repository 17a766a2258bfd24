package io.foresail.data.synth;

import io.foresail.data.store.ParquetRows;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OracleFileTest {
    @TempDir
    Path dir;

    @Test
    void aFirstGeneratorOracleReadsWithNoSlowPartAndItsHorizonValueIsTheNextBars() {
        Path file = dir.resolve("oracle.parquet");
        long[] ts = {1_700_000_000_000_000L, 1_700_000_900_000_000L};
        double[] expected = {0.002, Double.NaN};
        double[] alpha = {0.0015, Double.NaN};
        ParquetRows.write(file, OracleFile.SCHEMA_1, Map.of("foresail.format", "oracle/1"), 2, (row, out) -> {
            ParquetRows.field(out, 0, "symbol", Binary.fromString("AAPL"));
            ParquetRows.field(out, 1, "ts", ts[row]);
            if (!Double.isNaN(expected[row])) {
                ParquetRows.field(out, 2, "expected_return", expected[row]);
                ParquetRows.field(out, 3, "alpha", alpha[row]);
            }
        });
        OracleFile.Series s = OracleFile.read(file).get("AAPL");
        assertThat(s.slowAlpha()[0]).isZero();
        assertThat(s.slowAlpha()[1]).isNaN();
        assertThat(s.expectedOver(0, 26)).as("no slow part: only the next bar's planted return")
                .isCloseTo(0.0015, within(1e-15));
        assertThat(s.expectedOver(1, 26)).isNaN();
    }

    @Test
    void theSlowPartAddsUpOverTheHorizonAsItDecays() {
        double slow = 1e-4;
        OracleFile.Series s = new OracleFile.Series("X", new long[] {0}, new double[] {0.0}, new double[] {3e-4},
                new double[] {slow});
        double l = SyntheticMarket.SLOW_DECAY;
        double sum = 0;
        for (int k = 0; k < 26; k++) {
            sum += slow * Math.pow(l, k);
        }
        assertThat(s.expectedOver(0, 1)).isCloseTo(3e-4, within(1e-15));
        assertThat(s.expectedOver(0, 26)).isCloseTo(2e-4 + sum, within(1e-15));
    }
}
