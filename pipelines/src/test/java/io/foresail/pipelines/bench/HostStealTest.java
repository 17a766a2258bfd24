package io.foresail.pipelines.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class HostStealTest {
    @TempDir
    Path dir;

    @Test
    void readsTheStealOfAllCoresFromProcStatInMilliseconds() throws Exception {
        Path stat = Files.writeString(dir.resolve("stat"), """
                cpu  5911968 15875 688337 7106089 147112 0 25814 124844 0 0
                cpu0 2955984 7937 344168 3553044 73556 0 12907 62422 0 0
                intr 1 2 3
                """);
        assertThat(HostSteal.read(stat)).hasValue(1_248_440L); // 124,844 ticks of 10 ms
        Path old = Files.writeString(dir.resolve("old"), "cpu  1 2 3 4 5 6 7\n"); // a kernel without the steal column
        assertThat(HostSteal.read(old)).isEmpty();
        assertThat(HostSteal.read(dir.resolve("missing"))).isEqualTo(OptionalLong.empty());
    }

    @Test
    void aBarCountsTheStealOfEverySamplingIntervalItOverlaps() {
        Instant t0 = Instant.parse("2026-12-03T14:00:00Z");
        // Samples every 50 ms; 30 ms stolen between 100 and 150 ms, 20 ms between 250 and 300 ms.
        List<HostSteal.Sample> samples = List.of(new HostSteal.Sample(t0, 1000),
                new HostSteal.Sample(t0.plusMillis(50), 1000), new HostSteal.Sample(t0.plusMillis(100), 1000),
                new HostSteal.Sample(t0.plusMillis(150), 1030), new HostSteal.Sample(t0.plusMillis(200), 1030),
                new HostSteal.Sample(t0.plusMillis(250), 1030), new HostSteal.Sample(t0.plusMillis(300), 1050));
        assertThat(HostSteal.stolenBetween(samples, t0.plusMillis(10), t0.plusMillis(40))).as("inside a quiet interval").isZero();
        assertThat(HostSteal.stolenBetween(samples, t0.plusMillis(140), t0.plusMillis(145))).isEqualTo(30);
        assertThat(HostSteal.stolenBetween(samples, t0.plusMillis(160), t0.plusMillis(240))).as("between the two").isZero();
        assertThat(HostSteal.stolenBetween(samples, t0.plusMillis(120), t0.plusMillis(260))).isEqualTo(50);
        assertThat(HostSteal.stolenBetween(samples, t0.plusMillis(150), t0.plusMillis(160)))
                .as("an interval that ended as the bar began is not the bar's").isZero();
    }

    @Test
    void onLinuxItSamplesUntilClosed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(HostSteal.read(Path.of("/proc/stat")).isPresent(),
                "this system's /proc/stat reports no steal; the bench prints the figure as not reported");
        try (HostSteal steal = HostSteal.start(Duration.ofMillis(10))) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!steal.known() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(steal.known()).isTrue();
            assertThat(steal.totalMillis()).isGreaterThanOrEqualTo(0);
            assertThat(steal.span()).isPositive();
        }
    }

    @Test
    void aSplitsFiguresAreNearestRankPercentiles() {
        List<Double> oneToHundred = new java.util.ArrayList<>();
        for (int ms = 100; ms >= 1; ms--) {
            oneToHundred.add((double) ms);
        }
        // Nearest rank: the 50th and 99th of 100 values, not an interpolation between neighbours.
        assertThat(TraderBenchmark.percentiles(oneToHundred)).isEqualTo("100 bars, p50 50.00 ms, p99 99.00 ms, max 100.00 ms");
        assertThat(TraderBenchmark.percentiles(List.of(3.0, 1.0, 2.0))).isEqualTo("3 bars, p50 2.00 ms, p99 3.00 ms, max 3.00 ms");
        assertThat(TraderBenchmark.percentiles(List.of())).isEqualTo("0 bars");
    }
}
