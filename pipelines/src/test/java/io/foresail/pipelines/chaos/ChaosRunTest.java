package io.foresail.pipelines.chaos;

import io.foresail.registry.MlflowTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's seeded short run, in CI: the trader (its own JVM) through faults of every kind,
 * SIGKILLs and restarts, kill-switch windows and two champion moves, checked against the
 * simulator's ledger. The long run is {@code ./foresail chaos} (docs/live-trader.md).
 */
class ChaosRunTest {
    @TempDir
    Path dir;

    @Test
    void theTraderSurvivesFaultsAndKillsWithoutADuplicateOrALostFill() {
        Path home = Path.of(System.getProperty("foresail.repoRoot", "..")).toAbsolutePath().normalize();
        ChaosRun.Report r = ChaosRun.run(new ChaosRun.Settings(6, 2, 2, 150, 4, 2, 2, 7, dir, MlflowTestServer.get().uri()),
                home, System.out::println);
        System.out.print(r.render());
        assertThat(r.problems()).isEmpty();
        assertThat(r.faults()).isEqualTo(150);
        assertThat(r.faultsInjected().keySet()).as("most kinds drawn").hasSizeGreaterThanOrEqualTo(10);
        assertThat(r.restarts()).isEqualTo(4);
        assertThat(r.positionChecks()).isEqualTo(5);
        assertThat(r.killSwitchWindows()).isEqualTo(2);
        assertThat(r.orders()).isPositive();
        assertThat(r.fills()).isPositive();
        assertThat(r.versionsTrading()).as("orders under the first champion and both moves").hasSize(3);
        assertThat(r.duplicateOrderIds() + r.duplicateDecisionOrders() + r.missingFills() + r.positionMismatches()
                + r.ordersWhileKilled() + r.ordersWithoutVersion()).isZero();
    }
}
