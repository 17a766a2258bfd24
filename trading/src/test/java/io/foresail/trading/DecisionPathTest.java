package io.foresail.trading;

import io.foresail.core.config.Yaml;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.trading.decision.Book;
import io.foresail.trading.decision.Decision;
import io.foresail.trading.decision.DecisionPath;
import io.foresail.trading.decision.Scores;
import io.foresail.trading.decision.StrategyConfig;
import io.foresail.trading.orders.OrderIntent;
import io.foresail.trading.risk.KillSwitch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionPathTest {
    private static final TradingCalendar NYSE = TradingCalendar.nyse();
    private static final BarGrid GRID = NYSE.grid(Timeframe.MIN_15);
    private static final List<String> SYMBOLS = List.of("A", "B", "C", "D", "E", "F");
    private static final List<String> SECTORS = List.of("x", "x", "y", "y", "z", "z");
    private static final int FIRST = GRID.indexOf(Instant.parse("2024-03-04T14:30:00Z"));

    @TempDir
    Path dir;

    private StrategyConfig config(String yaml) throws IOException {
        Path f = dir.resolve("strategy.yaml");
        Files.writeString(f, yaml);
        return Yaml.read(f, StrategyConfig.class);
    }

    private static DecisionPath path(StrategyConfig c, KillSwitch kill) {
        return new DecisionPath(c, SYMBOLS, SECTORS, NYSE, GRID, kill);
    }

    private static double[] prices() {
        return new double[] {10, 20, 30, 40, 50, 60};
    }

    private static Book flat() {
        return new Book(100_000, new double[6], new double[6]);
    }

    private static Scores scores(double... s) {
        return new Scores("m/1", s, 0.02);
    }

    @Test
    void noDecisionOutsideTheSessionGridOrOutOfOrder() throws IOException {
        DecisionPath p = path(config("risk: {target_volatility: 0}\n"), new KillSwitch());
        Scores s = scores(1, 2, 3, 4, 5, 6);
        assertThatThrownBy(() -> p.decide(Instant.parse("2024-03-04T21:00:00Z"), prices(), s, flat()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a bar of the");
        assertThatThrownBy(() -> p.decide(Instant.parse("2024-03-02T15:00:00Z"), prices(), s, flat()))
                .hasMessageContaining("2024-03-02T15:00:00Z");
        p.decide(GRID.start(FIRST + 1), prices(), s, flat());
        assertThatThrownBy(() -> p.decide(GRID.start(FIRST), prices(), s, flat())).hasMessageContaining("time order");
    }

    @Test
    void theBookIsHeldBetweenRebalances() throws IOException {
        DecisionPath p = path(config("rebalance: {every_bars: 4}\nportfolio: {construction: long_short_quantiles, k: 1}\n"
                + "risk: {target_volatility: 0, max_sector: 1.0}\n"), new KillSwitch());
        List<Decision> ds = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            double[] s = b % 2 == 0 ? new double[] {1, 2, 3, 4, 5, 6} : new double[] {6, 5, 4, 3, 2, 1};
            ds.add(p.decide(GRID.start(FIRST + b), prices(), scores(s), flat()));
        }
        assertThat(ds).extracting(Decision::rebalance).containsExactly(false, false, false, true, false, false, false, true);
        assertThat(ds.get(0).intents()).isEmpty();
        assertThat(ds.get(3).intents()).extracting(OrderIntent::symbol).containsExactly("A", "F");
        // Half the book each side, cut to the default 20 % name cap: 20,000 / $10 and -20,000 / $60.
        assertThat(ds.get(3).intents().get(0).signedQuantity()).isEqualTo(2_000.0);
        assertThat(ds.get(3).intents().get(1).signedQuantity()).isEqualTo(-333.0);
    }

    @Test
    void rebalanceTimesAreBarClosesInExchangeTimeAndCloseHonoursEarlyCloses() throws IOException {
        DecisionPath p = path(config("rebalance: {at: ['10:00', close]}\nrisk: {target_volatility: 0}\n"), new KillSwitch());
        // 2024-11-29 closes at 13:00 New York (18:00 UTC): the 12:45 bar is its last.
        int day = GRID.indexOf(Instant.parse("2024-11-29T14:30:00Z"));
        List<Instant> rebalances = new ArrayList<>();
        for (int b = day; b < day + 14; b++) {
            Decision d = p.decide(GRID.start(b), prices(), scores(1, 2, 3, 4, 5, 6), flat());
            if (d.rebalance()) {
                rebalances.add(d.barStart());
            }
        }
        assertThat(rebalances).containsExactly(Instant.parse("2024-11-29T14:45:00Z"), Instant.parse("2024-11-29T17:45:00Z"));
    }

    @Test
    void theKillSwitchOverridesEverything() throws IOException {
        KillSwitch kill = new KillSwitch();
        DecisionPath p = path(config("risk: {target_volatility: 0}\n"), kill);
        Book holding = new Book(100_000, new double[] {100, 0, 0, 0, 0, -50}, new double[] {0, 10, 0, 0, 0, 0});
        kill.engage(KillSwitch.Mode.HALT, "operator test", "ops", Instant.EPOCH);
        Decision halted = p.decide(GRID.start(FIRST), prices(), scores(6, 5, 4, 3, 2, 1), holding);
        assertThat(halted.intents()).isEmpty();
        assertThat(halted.cancelOpenOrders()).isTrue();
        kill.engage(KillSwitch.Mode.FLATTEN, "operator test", "ops", Instant.EPOCH);
        Decision flatten = p.decide(GRID.start(FIRST + 1), prices(), scores(6, 5, 4, 3, 2, 1), holding);
        assertThat(flatten.intents()).extracting(OrderIntent::symbol, OrderIntent::signedQuantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A", -100.0),
                        org.assertj.core.groups.Tuple.tuple("B", -10.0),
                        org.assertj.core.groups.Tuple.tuple("F", 50.0));
        kill.release();
        assertThat(p.decide(GRID.start(FIRST + 2), prices(), scores(6, 5, 4, 3, 2, 1), holding).intents()).isNotEmpty();
    }

    @Test
    void aProtectiveCutActsOnAHeldBookOnceNotEveryBar() throws IOException {
        DecisionPath p = path(config("rebalance: {every_bars: 26}\nrisk: {target_volatility: 0, max_sector: 1.0,"
                + " daily_loss_limit: 0.5}\n"), new KillSwitch());
        double[] held = {1000, 0, 0, 0, 0, 0};
        // 5.5 % below the 100,000 peak: the ladder keeps half of the book.
        p.decide(GRID.start(FIRST), prices(), scores(1, 2, 3, 4, 5, 6), new Book(100_000, held, new double[6]));
        Decision cut = p.decide(GRID.start(FIRST + 1), prices(), scores(1, 2, 3, 4, 5, 6),
                new Book(94_500, held, new double[6]));
        assertThat(cut.intents()).as("no sized book yet: nothing to cut").isEmpty();
    }

    @Property(seed = "15", tries = 200)
    void everyTargetObeysTheCapsAndEveryIntentIsDeterministic(@ForAll @LongRange(min = 0, max = 1_000_000) long seed)
            throws IOException {
        Path f = Files.createTempFile("strategy", ".yaml");
        Files.writeString(f, "portfolio: {construction: score_weighted}\nrisk: {max_name: 0.3, max_sector: 0.5, max_gross: 0.9,"
                + " max_net: 0.2, covariance: {warmup_bars: 5}}\n");
        StrategyConfig c = Yaml.read(f, StrategyConfig.class);
        Files.delete(f);
        Random rnd = new Random(seed);
        DecisionPath a = path(c, new KillSwitch());
        DecisionPath b = path(c, new KillSwitch());
        double[] px = prices();
        for (int bar = 0; bar < 12; bar++) {
            for (int i = 0; i < px.length; i++) {
                px[i] *= 1 + 0.01 * rnd.nextGaussian();
            }
            double[] s = new double[6];
            for (int i = 0; i < 6; i++) {
                s[i] = rnd.nextDouble() < 0.1 ? Double.NaN : rnd.nextGaussian();
            }
            double[] held = new double[6];
            for (int i = 0; i < 6; i++) {
                held[i] = Math.rint(rnd.nextGaussian() * 200);
            }
            Book book = new Book(100_000, held, new double[6]);
            Decision da = a.decide(GRID.start(FIRST + bar), px.clone(), scores(s), book);
            Decision db = b.decide(GRID.start(FIRST + bar), px.clone(), scores(s), book);
            assertThat(da.intents()).isEqualTo(db.intents());
            double gross = 0;
            double net = 0;
            for (int i = 0; i < 6; i++) {
                double w = da.targetWeights()[i];
                assertThat(Math.abs(w)).isLessThanOrEqualTo(0.3 + 1e-9);
                gross += Math.abs(w);
                net += w;
            }
            if (da.rebalance()) {
                assertThat(gross).isLessThanOrEqualTo(0.9 + 1e-9);
                assertThat(Math.abs(net)).isLessThanOrEqualTo(0.2 + 1e-9);
            }
            for (OrderIntent in : da.intents()) {
                assertThat(in.targetShares() - in.heldShares()).isEqualTo(in.signedQuantity());
            }
        }
    }

    @Test
    void aConfigWithACapAbove100PercentIsRefusedNamingFileAndField() throws IOException {
        assertThatThrownBy(() -> config("risk: {max_name: 1.5}\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("strategy.yaml").hasMessageContaining("risk").hasMessageContaining("max_name");
        assertThatThrownBy(() -> config("portfolio: {construction: best_guess}\n"))
                .hasMessageContaining("long_only_top_k");
        assertThatThrownBy(() -> config("rebalance: {every_bars: 2, at: [close]}\n")).hasMessageContaining("not both");
    }
}
