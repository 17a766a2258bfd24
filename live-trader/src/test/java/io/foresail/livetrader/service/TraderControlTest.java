package io.foresail.livetrader.service;

import io.foresail.alpaca.rest.AlpacaCredentials;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.livetrader.app.TraderMain;
import io.foresail.livetrader.state.TraderState;
import io.foresail.registry.MlflowTestServer;
import io.foresail.trading.risk.KillSwitch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's controls and the trader's own guards: a kill recorded by the CLI while no trader
 * runs holds at the next start; the CLI resumes a running trader over HTTP; the {@code KILL} file
 * engages the switch within a tick; data that stops coming halts trading; every engagement is
 * recorded with who and why.
 */
class TraderControlTest {
    @TempDir
    Path dir;
    private SimServer sim;
    private TraderWorld world;
    private Trader trader;

    @BeforeEach
    void start() {
        sim = TraderWorld.simulator(SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET);
        world = new TraderWorld(dir.resolve("world"), MlflowTestServer.get().uri());
    }

    @AfterEach
    void stop() {
        if (trader != null) {
            trader.close();
        }
        sim.close();
    }

    private Trader trader(TraderConfig config) {
        return world.trader(sim, new AlpacaCredentials(SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET), config,
                dir.resolve("state"));
    }

    private int cli(String... args) {
        return TraderMain.commandLine().execute(args);
    }

    @Test
    void aKillRecordedOfflineHoldsAtStartTheCliResumesOverHttpAndTheKillFileEngagesAgain() throws Exception {
        world.champions("trader-control", 1);
        String state = dir.resolve("state").toString();
        assertThat(cli("kill", "--state-dir", state, "--reason", "broker maintenance")).isZero();

        trader = trader(world.config("trader-control"));
        KillSwitch.Engagement e = trader.killSwitch().engagement();
        assertThat(e).as("restored from the state").isNotNull();
        assertThat(e.mode()).isEqualTo(KillSwitch.Mode.HALT);
        assertThat(e.reason()).isEqualTo("broker maintenance");
        assertThat(e.by()).startsWith("cli:");

        assertThat(cli("resume", "--state-dir", state)).as("a reason is required").isNotZero();
        assertThat(cli("resume", "--state-dir", state, "--reason", "maintenance over")).isZero();
        assertThat(trader.killSwitch().engaged()).as("resumed over HTTP").isFalse();
        assertThat(trader.state().killSwitch().orElseThrow().state()).isEqualTo("OFF");

        Files.writeString(dir.resolve("state").resolve("KILL"), "FLATTEN: desk call");
        await(() -> trader.killSwitch().engaged(), "the kill file engages the switch");
        assertThat(trader.killSwitch().engagement().mode()).isEqualTo(KillSwitch.Mode.FLATTEN);
        TraderState.KillSwitchEvent last = trader.state().killSwitch().orElseThrow();
        assertThat(last.who()).isEqualTo("kill-file");
        assertThat(last.why()).isEqualTo("FLATTEN: desk call");

        assertThat(cli("resume", "--state-dir", state, "--reason", "desk agreed")).isZero();
        assertThat(Files.exists(dir.resolve("state").resolve("KILL"))).as("resume removes the flag").isFalse();
        assertThat(trader.killSwitch().engaged()).isFalse();
    }

    @Test
    void barsThatStopComingHaltTrading() throws Exception {
        world.champions("trader-stale", 1);
        TraderConfig c = world.config("trader-stale");
        c = new TraderConfig(c.mode(), c.dryRun(), c.live(), c.model(), c.mlflow(), c.alpaca(), c.stateDir(), c.decisionOnDisk(),
                c.http(), c.bars(), new TraderConfig.Guards(5, 2.0, 1), c.strategy());
        // Friday afternoon: the market's data ends with the session; the venue's clock goes on to Monday.
        sim.simulator().advanceTo(Instant.parse("2024-03-08T20:00:00Z"));
        trader = trader(c);
        await(() -> trader.notReady().isEmpty(), "ready");
        sim.simulator().advanceTo(Instant.parse("2024-03-11T13:30:00Z").plusSeconds(60 * 50)); // daylight saving: 13:30Z open

        await(() -> trader.killSwitch().engaged(), "the stale-data guard");
        KillSwitch.Engagement e = trader.killSwitch().engagement();
        assertThat(e.mode()).isEqualTo(KillSwitch.Mode.HALT);
        assertThat(e.by()).isEqualTo("guard");
        assertThat(e.reason()).startsWith("stale data: 3 bars ended since the last bar with data (2024-03-08T20:45:00Z");
        assertThat(trader.notReady()).anyMatch(r -> r.startsWith("data stale"));
        assertThat(trader.state().killSwitch().orElseThrow().who()).isEqualTo("guard");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void liveTradingIsRefusedWithoutBothConfirmations() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = TraderMain.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute("run", "--live", "--state-dir", dir.resolve("live").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("live trading (real money) is refused")
                .contains("the configuration does not enable it").contains("the flag was not given");
        Path enabled = Files.writeString(dir.resolve("live.yaml"), "live: {enabled: true}\n");
        err.getBuffer().setLength(0);
        assertThat(cli.execute("run", "--live", "--config", enabled.toString(), "--state-dir", dir.resolve("live").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("the flag was not given").doesNotContain("does not enable it");
        assertThat(dir.resolve("live")).as("nothing started").doesNotExist();
    }

    @Test
    void aDryRunDecidesAndRecordsButSendsNothing() throws Exception {
        world.champions("trader-dry", 1);
        TraderConfig c = world.config("trader-dry");
        c = new TraderConfig(c.mode(), true, c.live(), c.model(), c.mlflow(), c.alpaca(), c.stateDir(), c.decisionOnDisk(),
                c.http(), c.bars(), c.guards(), c.strategy());
        trader = trader(c);
        for (int i = 0; i < 30; i++) {
            sim.simulator().advanceTo(TraderWorld.WEDNESDAY_OPEN.plusSeconds(60L * (i + 1)));
            Thread.sleep(20);
        }
        await(() -> trader.state().count("decisions") >= 2, "two decisions");
        assertThat(trader.state().count("decisions")).isGreaterThanOrEqualTo(2);
        assertThat(sim.simulator().ledger().snapshot().orders()).as("nothing sent").isEmpty();
        assertThat(trader.state().count("intents")).as("no intents awaiting a broker").isZero();
        java.io.ByteArrayOutputStream metrics = new java.io.ByteArrayOutputStream();
        trader.metrics().write(metrics);
        assertThat(metrics.toString(java.nio.charset.StandardCharsets.UTF_8)).as("it would have sent orders")
                .containsPattern("foresail_trader_orders_total\\{status=\"dry_run\"} [1-9]");
        assertThat(trader.status()).containsEntry("dry_run", true);
    }
}
