package io.foresail.livetrader.service;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.testing.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bar's threads take the configured priority, each alone: the kernel reports it for them and
 * not for the thread that made them. A nice above the process's own needs no privilege, so those
 * tests run as any user; a realtime priority needs CAP_SYS_NICE or an RLIMIT_RTPRIO (root, as CI
 * runs, has both).
 */
class BarThreadsPriorityTest {
    @TempDir
    Path dir;

    @Test
    void threadsItMakesRunAtItsNiceAndTheRestKeepTheirs() throws Exception {
        int own = BarThreadsPriority.currentNice();
        BarThreadsPriority priority = BarThreadsPriority.nice(Math.min(19, own + 4));
        priority.verify();
        ExecutorService pool = Executors.newFixedThreadPool(2, priority.threads("bar-path", true));
        try {
            var first = pool.submit(() -> Thread.currentThread().getName() + " " + BarThreadsPriority.currentNice());
            var second = pool.submit(() -> {
                Thread.sleep(50); // both threads started
                return Thread.currentThread().getName() + " " + BarThreadsPriority.currentNice();
            });
            var third = pool.submit(() -> Thread.currentThread().getName() + " " + BarThreadsPriority.currentNice());
            assertThat(List.of(first.get(), second.get(), third.get())).allSatisfy(
                    s -> assertThat(s).matches("bar-path-[12] " + priority.value()));
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
     * Realtime: the pool's threads run under SCHED_FIFO at the priority, the thread that made them
     * and a thread one of them starts (a library's worker made on demand) as ordinary threads.
     */
    @Test
    void realtimeThreadsRunUnderFifoAndThreadsTheyStartDoNot() throws Exception {
        Assumptions.assumeTrue(root() || rtprioLimit() >= 3,
                "SCHED_FIFO needs root (CAP_SYS_NICE) or an RLIMIT_RTPRIO of 3 or more; this process has neither");
        int ownNice = BarThreadsPriority.currentNice();
        BarThreadsPriority priority = BarThreadsPriority.realtime(3);
        priority.verify();
        ExecutorService pool = Executors.newFixedThreadPool(2, priority.threads("bar-path", true));
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> {
                    Thread.sleep(30); // both threads started
                    return Thread.currentThread().getName() + " " + BarThreadsPriority.currentRealtime();
                }));
            }
            for (Future<String> a : answers) {
                assertThat(a.get()).matches("bar-path-[12] 3");
            }
            String started = pool.submit(() -> {
                String[] seen = new String[1];
                Thread child = new Thread(() -> seen[0] = BarThreadsPriority.currentRealtime() + " "
                        + BarThreadsPriority.currentNice());
                child.start();
                child.join();
                return seen[0];
            }).get();
            assertThat(started).as("a thread started by a realtime one: ordinary, at the process's nice")
                    .isEqualTo("0 " + ownNice);
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(BarThreadsPriority.currentRealtime()).as("the thread that made them").isZero();
        assertThat(priority.toString()).isEqualTo("realtime 3");
    }

    /**
     * A process without the privilege to raise a priority (no CAP_SYS_NICE, RLIMIT_NICE 0) is told
     * so at the check, naming the field and what to do; the same value above its own nice is granted.
     */
    @Test
    void aPriorityTheProcessMayNotTakeIsRefusedAtTheCheckSayingWhatItNeeds() throws Exception {
        int own = BarThreadsPriority.currentNice();
        try (var child = ChildJvm.startUnder(withoutPrivilege("--nice=0:0"), BarThreadsPriorityProbe.class,
                dir.resolve("refused.log"), Map.of(), "nice", Integer.toString(own - 5))) {
            assertThat(child.await(60, TimeUnit.SECONDS)).as(child.output()).isEqualTo(3);
            assertThat(child.output()).contains("refused (InvalidInputException): cannot set the bar's threads to nice " + (own - 5))
                    .contains("bars.threads_nice").contains("CAP_SYS_NICE").contains("LimitNICE")
                    .containsIgnoringCase("permission denied");
        }
        try (var child = ChildJvm.startUnder(withoutPrivilege("--nice=0:0"), BarThreadsPriorityProbe.class,
                dir.resolve("granted.log"), Map.of(), "nice", Integer.toString(Math.min(19, own + 5)))) {
            assertThat(child.await(60, TimeUnit.SECONDS)).as(child.output()).isZero();
            assertThat(child.output()).contains("granted");
        }
    }

    /**
     * Realtime without CAP_SYS_NICE and with RLIMIT_RTPRIO 0 (an ordinary service's limits): refused
     * at the check, naming the field and what to do; the same limit with CAP_SYS_NICE is granted.
     * (Raising RLIMIT_RTPRIO, the other way in, needs CAP_SYS_RESOURCE, which CI's root may lack.)
     */
    @Test
    void realtimeWithoutThePrivilegeIsRefusedAtTheCheckSayingWhatItNeeds() throws Exception {
        Assumptions.assumeTrue(root(), "a child with and without CAP_SYS_NICE needs root");
        try (var child = ChildJvm.startUnder(withoutPrivilege("--rtprio=0:0"), BarThreadsPriorityProbe.class,
                dir.resolve("rt-refused.log"), Map.of(), "realtime", "10")) {
            assertThat(child.await(60, TimeUnit.SECONDS)).as(child.output()).isEqualTo(3);
            assertThat(child.output()).contains("refused (InvalidInputException): cannot run the bar's threads realtime "
                            + "at SCHED_FIFO priority 10 (bars.threads_realtime)").contains("CAP_SYS_NICE")
                    .contains("RLIMIT_RTPRIO of at least 10").contains("LimitRTPRIO=10").containsIgnoringCase("not permitted");
        }
        try (var child = ChildJvm.startUnder(List.of("prlimit", "--rtprio=0:0"), BarThreadsPriorityProbe.class,
                dir.resolve("rt-granted.log"), Map.of(), "realtime", "10")) {
            assertThat(child.await(60, TimeUnit.SECONDS)).as(child.output()).isZero();
            assertThat(child.output()).contains("granted");
        }
    }

    @Test
    void valuesOutsideLinuxsRangesAndBothFieldsAtOnceAreRefusedNamingTheField() throws Exception {
        assertThatThrownBy(() -> BarThreadsPriority.nice(20)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bars.threads_nice must be -20 to 19").hasMessageContaining("got 20");
        assertThatThrownBy(() -> BarThreadsPriority.nice(-21)).hasMessageContaining("got -21");
        assertThatThrownBy(() -> BarThreadsPriority.realtime(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bars.threads_realtime must be 1 to 99").hasMessageContaining("got 0");
        assertThatThrownBy(() -> BarThreadsPriority.realtime(100)).hasMessageContaining("got 100");
        Path bad = Files.writeString(dir.resolve("trader.yaml"), "bars: {threads_nice: 40}\n");
        assertThatThrownBy(() -> TraderConfig.loadOrDefault(bad)).hasMessageContaining("trader.yaml")
                .hasMessageContaining("bars.threads_nice must be -20 to 19");
        Path both = Files.writeString(dir.resolve("both.yaml"), "bars: {threads_nice: -5, threads_realtime: 10}\n");
        assertThatThrownBy(() -> TraderConfig.loadOrDefault(both)).hasMessageContaining("both.yaml")
                .hasMessageContaining("bars.threads_nice (-5) and bars.threads_realtime (10) are both set");
        Path good = Files.writeString(dir.resolve("good.yaml"), "bars: {threads_nice: -10}\n");
        assertThat(TraderConfig.loadOrDefault(good).bars().priority()).contains(BarThreadsPriority.nice(-10));
        Path realtime = Files.writeString(dir.resolve("rt.yaml"), "bars: {threads_realtime: 10}\n");
        assertThat(TraderConfig.loadOrDefault(realtime).bars().priority()).contains(BarThreadsPriority.realtime(10));
        assertThat(TraderConfig.loadOrDefault(null).bars().priority()).as("unset: the process's own").isEmpty();
    }

    /** {@code prlimit} with {@code limit}, and, for root, without CAP_SYS_NICE (which overrides any limit). */
    private static List<String> withoutPrivilege(String limit) throws Exception {
        List<String> command = new ArrayList<>(List.of("prlimit", limit));
        if (root()) {
            command.addAll(List.of("setpriv", "--bounding-set=-sys_nice"));
        }
        return command;
    }

    private static boolean root() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
    }

    /** This process's soft RLIMIT_RTPRIO. */
    private static int rtprioLimit() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max realtime priority"))
                .map(l -> l.substring(26).trim().split("\\s+")[0]).mapToInt(v -> v.equals("unlimited") ? 99 : Integer.parseInt(v))
                .findFirst().orElse(0);
    }
}
