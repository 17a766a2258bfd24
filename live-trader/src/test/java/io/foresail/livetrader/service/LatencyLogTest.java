package io.foresail.livetrader.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencyLogTest {

    private static double[] stages(double each) {
        double[] s = new double[LatencyLog.STAGES.size()];
        java.util.Arrays.fill(s, each);
        return s;
    }

    private static ThreadTimes times(double cpuSeconds, double waitingSeconds) {
        return new ThreadTimes(Math.round(cpuSeconds * 1e9), Math.round(waitingSeconds * 1e9));
    }

    @Test
    void whereTheKernelDoesNotReportTheWaitForACoreNoFigureIsMadeUp() {
        LatencyLog log = new LatencyLog(10);
        log.add(1_000L, 0.01, 0.01, new ThreadTimes(5_000_000, 1_000_000), stages(0));
        log.add(2_000L, 0.01, 0.01, new ThreadTimes(5_000_000, -1), stages(0));
        assertThat(log.summary(0)).containsKey("p99_bar_thread_cpu").doesNotContainKey("p99_bar_thread_waiting_for_a_core");
    }

    @Test
    void theLastBarsAreListedOldestFirstWithWhenTheyEndedAcrossTheRingsWrap() {
        LatencyLog log = new LatencyLog(4);
        assertThat(log.recent(3)).isEmpty();
        for (int k = 1; k <= 6; k++) { // bar k ended at k seconds, took k ms, half of it the broker's
            log.add(k * 1_000L, k / 1e3, k / 2e3, times(k / 4e3, k == 6 ? -1e-9 : k / 8e3), stages(0));
        }
        List<LatencyLog.Bar> last = log.recent(3);
        assertThat(last).extracting(LatencyLog.Bar::endedAt).containsExactly(java.time.Instant.ofEpochSecond(4),
                java.time.Instant.ofEpochSecond(5), java.time.Instant.ofEpochSecond(6));
        assertThat(last.get(0).ms()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(last.get(0).msExcludingBroker()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(last.get(0).cpuMs()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(last.get(0).waitingMs()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(last.get(2).waitingMs()).as("not known").isEqualTo(-1);
        assertThat(log.recent(100)).as("at most what the ring keeps").hasSize(4)
                .extracting(LatencyLog.Bar::endedAt).first().isEqualTo(java.time.Instant.ofEpochSecond(3));
    }

    @Test
    void aThreadsClocksAdvanceWithItsWork() {
        ThreadTimes start = ThreadTimes.now();
        double x = 0;
        for (int i = 0; i < 20_000_000; i++) {
            x += Math.sqrt(i);
        }
        ThreadTimes spent = ThreadTimes.now().since(start);
        assertThat(x).isPositive();
        assertThat(spent.cpuNanos()).as("CPU time of a busy loop").isGreaterThan(1_000_000L);
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(spent.waitingNanos()).as("Linux reports the run-queue wait").isGreaterThanOrEqualTo(0L);
        }
    }

    @Test
    void percentilesAreOverTheBarsAfterTheWarmUpWithTheBrokerAndTheCpuApart() {
        LatencyLog log = new LatencyLog(1_000);
        // Ten slow warm-up bars, then 100 bars of 1..100 ms, half of each the broker's, a quarter of each CPU.
        for (int i = 0; i < 10; i++) {
            log.add(0L, 1.0, 1.0, times(1.0, 0.5), stages(0.5));
        }
        for (int ms = 1; ms <= 100; ms++) {
            log.add(0L, ms / 1e3, ms / 2e3, times(ms / 4e3, ms / 8e3), stages(ms / 1e4));
        }
        Map<String, Object> s = log.summary(10);
        assertThat(s.get("bars")).isEqualTo(110L);
        assertThat((double) s.get("max")).as("every bar, the warm-up's too").isEqualTo(1_000.0);
        assertThat((double) s.get("p50_after_warmup")).isEqualTo(50.0);
        assertThat((double) s.get("p99_after_warmup")).isEqualTo(99.0);
        assertThat((double) s.get("p99_excluding_broker_after_warmup")).isEqualTo(49.5);
        assertThat((double) s.get("p50_bar_thread_cpu_after_warmup")).isEqualTo(12.5);
        assertThat((double) s.get("max_bar_thread_cpu_after_warmup")).isEqualTo(25.0);
        assertThat((double) s.get("p99_bar_thread_waiting_for_a_core_after_warmup")).isEqualTo(12.375);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> byStage = (Map<String, Map<String, Double>>) s.get("stages_after_warmup");
        assertThat(byStage.keySet()).containsExactlyElementsOf(LatencyLog.STAGES);
        assertThat(byStage.get("model").get("p99")).isEqualTo(9.9, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theDecisionsFlushToDiskIsSummarisedApartAfterItsOwnWarmUp() {
        LatencyLog log = new LatencyLog(1_000);
        assertThat(log.summary(10)).doesNotContainKeys("decision_on_disk", "decision_on_disk_after_warmup");
        for (int i = 0; i < 10; i++) {
            log.addOnDisk(1.0);
        }
        for (int ms = 1; ms <= 100; ms++) {
            log.addOnDisk(ms / 1e3);
        }
        @SuppressWarnings("unchecked")
        Map<String, Double> d = (Map<String, Double>) log.summary(10).get("decision_on_disk_after_warmup");
        assertThat(d.get("p50")).isEqualTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.get("p99")).isEqualTo(99.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.get("max")).isEqualTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aBarsLogLineNamesEachStageWithItsMilliseconds() {
        double[] s = stages(0);
        s[LatencyLog.STAGES.indexOf("model")] = 0.00312;
        assertThat(LatencyLog.describe(s)).startsWith("queue 0.00 ").contains("model 3.12").endsWith("after 0.00");
    }

    @Test
    void aBarWithTheWrongNumberOfStagesIsRefused() {
        assertThatThrownBy(() -> new LatencyLog(10).add(0L, 0.01, 0.01, times(0.01, 0), new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 stage times");
    }
}
