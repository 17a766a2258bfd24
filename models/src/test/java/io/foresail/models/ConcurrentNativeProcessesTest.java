package io.foresail.models;

import io.foresail.core.error.ForesailException;
import io.foresail.core.testing.ChildJvm;
import io.foresail.models.gbm.LightGbmNative;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two real processes fit LightGBM, XGBoost and an LSTM at the same time, the second starting while the
 * first is mid-fit, as a scheduled training job beside a backtest would. Both must finish with
 * correct (and identical) predictions. lightgbm4j's own loader rewrote {@code ${java.io.tmpdir}/lib_lightgbm.so}
 * in place while the first process had it mapped, which killed that process with SIGBUS.
 */
class ConcurrentNativeProcessesTest {

    @Test
    void twoProcessesFitNativeModelsAtOnce(@TempDir Path dir) throws Exception {
        // One temporary directory for both, as on a real host; a fresh library directory, so both race to install it.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path libraries = dir.resolve("native").resolve("lightgbm4j");
        Map<String, String> env = Map.of(LightGbmNative.PATH_ENV, libraries.toString(),
                "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        try (ChildJvm first = ChildJvm.start(NativeFitWorker.class, dir.resolve("first.log"), env, dir.toString(), "first")) {
            awaitFile(dir.resolve("first.ready"), first);
            try (ChildJvm second = ChildJvm.start(NativeFitWorker.class, dir.resolve("second.log"), env, dir.toString(), "second")) {
                awaitFile(dir.resolve("second.ready"), second);
                Files.writeString(dir.resolve("stop"), "");
                assertThat(second.await(180, TimeUnit.SECONDS)).as("second process exit; log:\n%s", second.output()).isZero();
                assertThat(first.await(180, TimeUnit.SECONDS)).as("first process exit; log:\n%s", first.output()).isZero();
                String digest = Files.readString(dir.resolve("first.ready"));
                assertThat(first.output()).contains("digest=" + digest);
                assertThat(second.output()).as("the same fits in another process predict the same bits")
                        .contains("digest=" + digest);
            }
        }
        assertThat(tmp.resolve("lib_lightgbm.so")).as("nothing extracted to the shared temporary path").doesNotExist();
        try (var files = Files.list(dir.resolve("native"))) {
            assertThat(files.toList()).as("one installed directory, no staging leftovers").containsExactly(libraries);
        }
        assertThat(LightGbmNative.install(libraries)).as("an intact install is reused").isEqualTo(libraries);
    }

    @Test
    void withoutALibraryDirectoryLightGbmIsRefusedWithTheRemedy(@TempDir Path dir) throws Exception {
        try (ChildJvm child = ChildJvm.start(NativeFitWorker.class, dir.resolve("child.log"),
                Map.of(LightGbmNative.PATH_ENV, " "), dir.toString(), "child")) {
            assertThat(child.await(120, TimeUnit.SECONDS)).isNotZero();
            assertThat(child.output()).contains("LIGHTGBM_NATIVE_LIB_PATH is not set")
                    .contains("set it to a directory of your own");
        }
        try (ChildJvm child = ChildJvm.start(NativeFitWorker.class, dir.resolve("relative.log"),
                Map.of(LightGbmNative.PATH_ENV, "lightgbm4j-relative"), dir.toString(), "child")) {
            assertThat(child.await(120, TimeUnit.SECONDS)).isNotZero();
            assertThat(child.output()).contains("LIGHTGBM_NATIVE_LIB_PATH=lightgbm4j-relative is a relative path");
        }
        assertThat(Path.of("lightgbm4j-relative")).as("nothing installed beside the process").doesNotExist();
    }

    @Test
    void aDamagedLibraryDirectoryIsRefusedNotRewritten(@TempDir Path dir) throws Exception {
        Path libraries = LightGbmNative.install(dir.resolve("lightgbm4j"));
        Path lib = libraries.resolve("lib_lightgbm.so");
        byte[] bytes = Files.readAllBytes(lib);
        bytes[bytes.length / 2] ^= 1;
        Files.write(lib, bytes);
        assertThatThrownBy(() -> LightGbmNative.install(libraries)).isInstanceOf(ForesailException.class)
                .hasMessageContaining(libraries.toString()).hasMessageContaining("lib_lightgbm.so differ")
                .hasMessageContaining("not repaired in place");
        assertThat(Files.readAllBytes(lib)).as("left as it was").isEqualTo(bytes);
    }

    private static void awaitFile(Path file, ChildJvm child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(file)) {
            if (!child.alive()) {
                throw new AssertionError("child exited before " + file.getFileName() + "; log:\n" + child.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + file.getFileName() + " within 180 s; log:\n" + child.output());
            }
            Thread.sleep(50);
        }
    }
}
