package io.foresail.livetrader.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trader's configuration: the embedded defaults, and a bad value refused naming its field. */
class TraderConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsSendABarsRequestsSixteenAtOnceAndABadCountIsRefusedNamingTheField() throws Exception {
        TraderConfig defaults = TraderConfig.loadOrDefault(null);
        assertThat(defaults.alpaca().requestsInFlight()).isEqualTo(16);
        assertThat(defaults.mode()).as("safe by default").isEqualTo("sim");

        Path one = Files.writeString(dir.resolve("one.yaml"), "alpaca: {requests_in_flight: 1}\n");
        assertThat(TraderConfig.loadOrDefault(one).alpaca().requestsInFlight()).isEqualTo(1);

        Path zero = Files.writeString(dir.resolve("zero.yaml"), "alpaca: {requests_in_flight: 0}\n");
        assertThatThrownBy(() -> TraderConfig.loadOrDefault(zero))
                .hasMessageContaining("zero.yaml").hasMessageContaining("alpaca.requests_in_flight must be 1 to 32, got 0");
    }

    @Test
    void aDecisionReachesTheDiskWhileItsOrdersTravelUnlessTheFileAsksForBefore() throws Exception {
        assertThat(TraderConfig.loadOrDefault(null).decisionDurability()).isEqualTo(TraderConfig.DecisionOnDisk.WITH_ORDERS);
        Path before = Files.writeString(dir.resolve("before.yaml"), "decision_on_disk: before_orders\n");
        assertThat(TraderConfig.loadOrDefault(before).decisionDurability())
                .isEqualTo(TraderConfig.DecisionOnDisk.BEFORE_ORDERS);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "decision_on_disk: eventually\n");
        assertThatThrownBy(() -> TraderConfig.loadOrDefault(bad)).hasMessageContaining("bad.yaml")
                .hasMessageContaining("decision_on_disk must be with_orders or before_orders, got 'eventually'");
    }
}
