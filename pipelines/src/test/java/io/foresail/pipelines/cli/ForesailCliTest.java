package io.foresail.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForesailCliTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = ForesailCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void synthValidateRepairAndInfoWorkTogether() throws Exception {
        String m = dir.resolve("m").toString();
        Run synth = run("data", "synth", "--out", m, "--symbols", "6", "--start", "2024-01-02", "--end", "2024-02-29",
                "--faults", "--faults-per-kind", "2");
        assertThat(synth.code()).as(synth.err()).isZero();
        assertThat(synth.out()).contains("oracle IC").contains("faulty copy");

        Run clean = run("data", "validate", m + "/raw", "--actions", m + "/corporate_actions.csv");
        assertThat(clean.code()).as(clean.out()).isZero();
        assertThat(clean.out()).contains("PASSED (strict mode)");

        Run strict = run("data", "validate", m + "/faulty");
        assertThat(strict.code()).isEqualTo(ForesailCli.EXIT_CHECK_FAILED);
        Run repair = run("data", "validate", m + "/faulty", "--repair", "--out", m + "/repaired");
        assertThat(repair.code()).as(repair.out()).isZero();
        assertThat(Files.readAllLines(Path.of(m, "repaired", "quarantine.csv"))).hasSize(1 + 5 * 2);
        assertThat(Path.of(m + "/faulty-validation.json")).exists();

        Run info = run("data", "info", m + "/repaired", "--verify");
        assertThat(info.code()).isZero();
        assertThat(info.out()).contains("repaired_from").contains("verified");

        // Features on the adjusted bars: build prints the id; list and describe find it.
        Path spec = dir.resolve("small.yaml");
        Files.writeString(spec, "name: small\nfeatures: [alpha158, {tech_rsi: [14]}]\n"
                + "cross_sectional: {features: [tech_rsi_14_raw]}\n");
        String root = dir.resolve("features").toString();
        Run build = run("features", "build", "--bars", m + "/bars", "--spec", spec.toString(), "--out", root,
                "--master", "local[2]");
        assertThat(build.code()).as(build.err()).isZero();
        String id = build.out().strip();
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(build.err()).contains("built small/" + id);
        Run again = run("features", "build", "--bars", m + "/bars", "--spec", spec.toString(), "--out", root);
        assertThat(again.out().strip()).isEqualTo(id);
        assertThat(again.err()).contains("already exists");
        Run list = run("features", "list", root);
        assertThat(list.out()).contains("small").contains(id).contains("15Min");
        Run describe = run("features", "describe", root + "/small/" + id);
        assertThat(describe.code()).isZero();
        assertThat(describe.out()).contains("alpha158_ma_60_raw").contains("xs_rank_14_tech_rsi_raw")
                .contains("label_fwd_26_excess").contains("nan%");
        Run typo = run("features", "build", "--bars", m + "/bars", "--out", root, "--spec", m + "/nope.yaml");
        assertThat(typo.code()).isEqualTo(ForesailCli.EXIT_ERROR);
        assertThat(typo.err()).contains("nope.yaml").contains("not found");
    }

    @Test
    void errorsAreOneClearLineWithANonZeroExit() {
        Run r = run("data", "info", dir.resolve("missing").toString());
        assertThat(r.code()).isEqualTo(ForesailCli.EXIT_ERROR);
        assertThat(r.err().strip()).startsWith("error: ").contains("is not a bar store").doesNotContain("\n");
        Run bad = run("data", "synth", "--out", dir.toString(), "--start", "2024-13-01");
        assertThat(bad.err().strip()).isEqualTo("error: --start is '2024-13-01', expected YYYY-MM-DD");
    }
}
