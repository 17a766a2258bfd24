package io.foresail.core.io;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.foresail.core.error.ForesailException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The project's one JSON configuration and one digest, against their published contracts. */
class JsonAndSha256Test {
    record Stamp(Instant at, Map<String, Integer> counts) {
    }

    @Test
    void jsonWritesIsoTimesKeepsOrderUnlessSortedAndRefusesUnknownFields() throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("zeta", 1);
        counts.put("alpha", 2);
        Stamp s = new Stamp(Instant.parse("2024-03-10T07:00:00Z"), counts);
        assertThat(Json.MAPPER.writeValueAsString(s)).isEqualTo("{\"at\":\"2024-03-10T07:00:00Z\",\"counts\":{\"zeta\":1,\"alpha\":2}}");
        assertThat(Json.SORTED.writeValueAsString(s)).isEqualTo("{\"at\":\"2024-03-10T07:00:00Z\",\"counts\":{\"alpha\":2,\"zeta\":1}}");
        assertThat(Json.SORTED_PRETTY.writeValueAsString(s)).contains("\n").contains("\"alpha\" : 2,\n    \"zeta\" : 1");
        assertThat(Json.MAPPER.readValue(Json.PRETTY.writeValueAsString(s), Stamp.class)).isEqualTo(s);
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"at\":\"2024-03-10T07:00:00Z\",\"extra\":1}", Stamp.class))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("extra");
    }

    @Test
    void sha256MatchesThePublishedTestVectors(@TempDir Path dir) throws Exception {
        // FIPS 180-2, appendix B.1 and the empty message.
        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // A file larger than the 64 KiB read block: the same digest as its bytes at once.
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Path f = Files.write(dir.resolve("big.bin"), big);
        assertThat(Sha256.ofFile(f)).isEqualTo(Sha256.hex(big));
        assertThatThrownBy(() -> Sha256.ofFile(dir.resolve("missing.bin"))).isInstanceOf(ForesailException.class)
                .hasMessageContaining("missing.bin");
    }

    @Test
    void copyTreeCopiesNestedFilesByteForByte(@TempDir Path dir) throws Exception {
        Path from = Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(from.resolve("x.txt"), "x");
        Files.writeString(dir.resolve("a/y.txt"), "y");
        Path to = Files.createDirectories(dir.resolve("copy"));
        Directories.copyTree(dir.resolve("a"), to);
        assertThat(to.resolve("b/x.txt")).hasContent("x");
        assertThat(to.resolve("y.txt")).hasContent("y");
    }
}
