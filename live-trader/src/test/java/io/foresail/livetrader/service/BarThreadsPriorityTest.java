package io.foresail.livetrader.service;

import io.foresail.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bar's threads take the configured priority, each alone: the kernel reports it for them and
 * not for the thread that made them. A nice above the process's own needs no privilege, so these
 * run as any user.
 */
class BarThreadsPriorityTest {
    @TempDir
    Path dir;

    @Test
    void threadsItMakesRunAtItsNiceAndTheRestKeepTheirs() throws Exception {
        int own = BarThreadsPriority.currentNice();
        BarThreadsPriority priority = new BarThreadsPriority(Math.min(19, own + 4));
        priority.verify();
        ExecutorService pool = Executors.newFixedThreadPool(2, priority.threads("bar-path", true));
        try {
            var first = pool.submit(() -> Thread.currentThread().getName() + " " + BarThreadsPriority.currentNice());
            var second = pool.submit(() -> {
                Thread.sleep(50); // both threads started
                return Thread.currentThread().getName() + " " + BarThreadsPriority.currentNice();
            });
            var third = pool.submit(() -> Thread.currentThread().getName() + " " + BarThreadsPriority.currentNice());
            assertThat(java.util.List.of(first.get(), second.get(), third.get())).allSatisfy(
                    s -> assertThat(s).matches("bar-path-[12] " + priority.nice()));
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(BarThreadsPriority.currentNice()).as("the thread that made them").isEqualTo(own);
        ExecutorService single = Executors.newSingleThreadExecutor(priority.threads("trader-bars", false));
        try {
            assertThat(single.submit(() -> Thread.currentThread().getName()).get()).isEqualTo("trader-bars");
            assertThat(single.submit(() -> Thread.currentThread().isDaemon()).get()).isTrue();
        } finally {
            single.shutdown();
        }
    }

    /**
     * A process without the privilege to raise a priority (no CAP_SYS_NICE, RLIMIT_NICE 0) is told
     * so at the check, naming the field and what to do; the same value above its own nice is granted.
     */
    @Test
    void aPriorityTheProcessMayNotTakeIsRefusedAtTheCheckSayingWhatItNeeds() throws Exception {
        boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        java.util.List<String> unprivileged = new java.util.ArrayList<>(java.util.List.of("prlimit", "--nice=0:0"));
        if (root) {
            // Root keeps CAP_SYS_NICE whatever its limits: take it out of what the child can have.
            unprivileged.addAll(java.util.List.of("setpriv", "--bounding-set=-sys_nice"));
        }
        int own = BarThreadsPriority.currentNice();
        try (var child = io.foresail.core.testing.ChildJvm.startUnder(unprivileged, BarThreadsPriorityProbe.class,
                dir.resolve("refused.log"), java.util.Map.of(), Integer.toString(own - 5))) {
            assertThat(child.await(60, TimeUnit.SECONDS)).as(child.output()).isEqualTo(3);
            assertThat(child.output()).contains("refused (InvalidInputException): cannot set the bar's threads to nice " + (own - 5))
                    .contains("bars.threads_nice").contains("CAP_SYS_NICE").contains("LimitNICE")
                    .containsIgnoringCase("permission denied");
        }
        try (var child = io.foresail.core.testing.ChildJvm.startUnder(unprivileged, BarThreadsPriorityProbe.class,
                dir.resolve("granted.log"), java.util.Map.of(), Integer.toString(Math.min(19, own + 5)))) {
            assertThat(child.await(60, TimeUnit.SECONDS)).as(child.output()).isZero();
            assertThat(child.output()).contains("granted");
        }
    }

    @Test
    void aNiceOutsideLinuxsRangeIsRefusedNamingTheField() throws Exception {
        assertThatThrownBy(() -> new BarThreadsPriority(20)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bars.threads_nice must be -20 to 19").hasMessageContaining("got 20");
        assertThatThrownBy(() -> new BarThreadsPriority(-21)).hasMessageContaining("got -21");
        Path bad = Files.writeString(dir.resolve("trader.yaml"), "bars: {threads_nice: 40}\n");
        assertThatThrownBy(() -> TraderConfig.loadOrDefault(bad)).hasMessageContaining("trader.yaml")
                .hasMessageContaining("bars.threads_nice must be -20 to 19");
        Path good = Files.writeString(dir.resolve("good.yaml"), "bars: {threads_nice: -10}\n");
        assertThat(TraderConfig.loadOrDefault(good).bars().priority()).contains(new BarThreadsPriority(-10));
        assertThat(TraderConfig.loadOrDefault(null).bars().priority()).as("unset: the process's own").isEmpty();
    }
}
