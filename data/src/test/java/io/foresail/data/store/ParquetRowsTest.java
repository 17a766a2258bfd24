package io.foresail.data.store;

import io.foresail.data.TestBars;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.RowGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The footer of every file we write is canonical: parquet-mr lists each column's encodings in the
 * order of a HashSet of enums, which follows identity hash codes and so differs between processes.
 * Here a footer is rewritten with every list reversed, as another process could have written it;
 * canonicalising must give back the very same bytes, and the file must still read.
 */
class ParquetRowsTest {

    @Test
    void anyEncodingOrderCanonicalisesToTheSameBytes(@TempDir Path dir) throws Exception {
        BarSeries bars = TestBars.clean("AAPL", LocalDate.of(2024, 3, 4), 5, 1);
        Path file = dir.resolve("AAPL.parquet");
        ParquetBarFile.write(file, bars);
        byte[] canonical = Files.readAllBytes(file);

        List<Integer> listSizes = new ArrayList<>();
        ParquetRows.rewriteFooter(file, meta -> {
            for (RowGroup g : meta.getRow_groups()) {
                for (ColumnChunk c : g.getColumns()) {
                    List<Encoding> reversed = new ArrayList<>(c.getMeta_data().getEncodings());
                    listSizes.add(reversed.size());
                    Collections.reverse(reversed);
                    c.getMeta_data().setEncodings(reversed);
                }
            }
            return true;
        });
        assertThat(listSizes).as("columns with more than one encoding, the case at stake").anyMatch(n -> n > 1);
        assertThat(Files.readAllBytes(file)).as("another process's order").isNotEqualTo(canonical);

        ParquetRows.canonicaliseFooter(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(canonical);
        assertThat(ParquetBarFile.read(file, "AAPL")).isEqualTo(bars);
    }
}
