package io.foresail.features.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresail.core.error.InvalidInputException;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.set.FeatureSetId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeaturePlanTest {
    private static final FeatureLibrary LIB = FeatureLibrary.standard();

    private static FeaturePlan plan(String yaml, Path dir) throws Exception {
        Path f = dir.resolve("spec.yaml");
        Files.writeString(f, yaml);
        return FeaturePlan.resolve(FeatureSetSpec.load(f), LIB);
    }

    @Test
    void defaultSpecHasOver200FeaturesAcrossEveryFamily() {
        FeaturePlan p = FeaturePlan.resolve(FeatureSetSpec.defaultSpec(), LIB);
        assertThat(p.width()).isGreaterThanOrEqualTo(200);
        assertThat(p.featureNames()).doesNotHaveDuplicates()
                .allMatch(n -> n.matches("[a-z][a-z0-9]*_[a-z][a-z0-9]*_[0-9]+_[a-z0-9_.]+"));
        assertThat(p.featureNames().stream().map(n -> n.substring(0, n.indexOf('_'))).distinct())
                .containsExactlyInAnyOrder("alpha158", "tech", "vol", "intra", "rel", "xs");
    }

    @Test
    void indicatorsExpandOverWindowsAndNamesCarryParameters(@TempDir Path dir) throws Exception {
        FeaturePlan p = plan("""
                name: small
                features:
                  - tech_rsi: [9, 30]
                  - tech_bbands_50_pctb
                  - tech_macd: [26]
                cross_sectional: {ops: [rank], features: [tech_rsi_9_raw]}
                labels: {horizons: [2]}
                """, dir);
        assertThat(p.featureNames()).containsExactly("tech_rsi_9_raw", "tech_rsi_30_raw", "tech_bbands_50_pctb",
                "tech_macd_26_line", "tech_macd_26_signal", "tech_macd_26_hist", "xs_rank_9_tech_rsi_raw");
        assertThat(p.labels().names()).containsExactly("label_fwd_2_raw", "label_fwd_2_excess", "label_dir_2_class");
        assertThat(LIB.resolve("tech_bbands_50_pctb").warmUp()).isEqualTo(50);
    }

    @Test
    void unknownNamesFailWithTheNearestValidNames(@TempDir Path dir) {
        assertThatThrownBy(() -> plan("name: x\nfeatures: [tech_rsi_14_rwa]\n", dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("tech_rsi_14_rwa").hasMessageContaining("unknown variant 'rwa'")
                .hasMessageContaining("[raw]");
        assertThatThrownBy(() -> plan("name: x\nfeatures: [alpha158_rco_5_raw]\n", dir))
                .hasMessageContaining("did you mean").hasMessageContaining("alpha158_roc_5_raw");
        assertThatThrownBy(() -> plan("name: x\nfeatures: [{tech_rsii: [14]}]\n", dir))
                .hasMessageContaining("features[0]").hasMessageContaining("tech_rsi");
        assertThatThrownBy(() -> plan("name: x\nfeatures: [alpha158_kmid_5_raw]\n", dir))
                .hasMessageContaining("window 5 is invalid").hasMessageContaining("exactly 1");
        assertThatThrownBy(() -> plan("name: x\nfeatures: [tech_rsi_14_raw, tech]\n", dir))
                .hasMessageContaining("'tech_rsi_14_raw' is listed twice");
        assertThatThrownBy(() -> plan("name: x\nfeatures: [rel]\ncross_sectional: {features: [rel_beta_60_sector]}\n", dir))
                .hasMessageContaining("reads sector returns");
        assertThatThrownBy(() -> plan("name: x\nfeatures: [tech]\nnan_policy: drop\n", dir))
                .hasMessageContaining("nan_policy");
        assertThatThrownBy(() -> plan("name: x\nfeatures: [tech]\nlabels: {horizons: [0]}\n", dir))
                .hasMessageContaining("horizon 0");
    }

    @Test
    void idChangesWithEveryInputAndOnlyThen() {
        FeaturePlan p = FeaturePlan.resolve(FeatureSetSpec.defaultSpec(), LIB);
        Map<String, String> sectors = Map.of("AAPL", "IT");
        String plan = FeatureSetId.planHash(FeatureSetId.plan(p, "15Min", sectors, "SPY"));
        String id = FeatureSetId.compute(plan, "abc");
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(plan).matches("[0-9a-f]{16}").isNotEqualTo(id);
        assertThat(FeatureSetId.planHash(FeatureSetId.plan(FeaturePlan.resolve(FeatureSetSpec.defaultSpec(), LIB), "15Min",
                sectors, "SPY"))).isEqualTo(plan);
        assertThat(FeatureSetId.compute(plan, "abd")).as("other bars").isNotEqualTo(id);
        assertThat(FeatureSetId.planHash(FeatureSetId.plan(p, "1Hour", sectors, "SPY"))).isNotEqualTo(plan);
        assertThat(FeatureSetId.planHash(FeatureSetId.plan(p, "15Min", Map.of("AAPL", "Energy"), "SPY"))).isNotEqualTo(plan);
        assertThat(FeatureSetId.planHash(FeatureSetId.plan(p, "15Min", sectors, "QQQ"))).as("benchmark").isNotEqualTo(plan);
        FeatureSetSpec d = FeatureSetSpec.defaultSpec();
        FeatureSetSpec fewer = new FeatureSetSpec(d.name(), List.of(new ObjectMapper().valueToTree("tech")),
                CrossSectionalSpec.none(), d.labels(), d.nanPolicy());
        assertThat(FeatureSetId.planHash(FeatureSetId.plan(FeaturePlan.resolve(fewer, LIB), "15Min", sectors, "SPY")))
                .isNotEqualTo(plan);
        FeatureSetSpec roundTrip = FeatureSetId.specFromJson(FeatureSetId.specJson(d).toString());
        assertThat(FeatureSetId.planHash(FeatureSetId.plan(FeaturePlan.resolve(roundTrip, LIB), "15Min", sectors, "SPY")))
                .isEqualTo(plan);
    }

    @Test
    void thePlanHashIgnoresFieldOrderAndTheFirstDifferenceIsNamed() throws Exception {
        FeaturePlan p = FeaturePlan.resolve(FeatureSetSpec.defaultSpec(), LIB);
        var doc = FeatureSetId.plan(p, "15Min", Map.of("AAPL", "IT", "XOM", "ENERGY"), "SPY");
        // The same document through JSON text with its fields reversed hashes the same.
        var reversed = new ObjectMapper().createObjectNode();
        List<String> names = new java.util.ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        names.forEach(n -> reversed.set(n, doc.get(n)));
        assertThat(FeatureSetId.planHash(reversed)).isEqualTo(FeatureSetId.planHash(doc));
        assertThat(FeatureSetId.firstDifference(doc, reversed)).isEmpty();

        var bumped = doc.deepCopy();
        String kernel = bumped.get("kernel_versions").fieldNames().next();
        ((com.fasterxml.jackson.databind.node.ObjectNode) bumped.get("kernel_versions")).put(kernel, "expr/999");
        assertThat(FeatureSetId.firstDifference(doc, bumped)).hasValueSatisfying(d -> assertThat(d)
                .startsWith("kernel_versions." + kernel + ": expected ").endsWith("found \"expr/999\""));
        var other = FeatureSetId.plan(p, "15Min", Map.of("AAPL", "IT", "XOM", "UTILITIES"), "SPY");
        assertThat(FeatureSetId.firstDifference(doc, other)).contains("sectors.XOM: expected \"ENERGY\", found \"UTILITIES\"");
        var fewerColumns = doc.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) fewerColumns.get("columns")).remove(3);
        assertThat(FeatureSetId.firstDifference(doc, fewerColumns)).hasValueSatisfying(d -> assertThat(d).startsWith("columns[3]: "));
    }

    @Test
    void theDocsQuoteTheRealWarmUpOfTheLongestSmoother() throws Exception {
        Path docs = Path.of(System.getProperty("foresail.repoRoot", "..")).resolve("docs/features.md");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`tech_ema_200_dist` warms up over ([0-9,]+) bars")
                .matcher(Files.readString(docs));
        assertThat(m.find()).as("docs/features.md states the warm-up").isTrue();
        int documented = Integer.parseInt(m.group(1).replace(",", ""));
        assertThat(documented).isEqualTo(FeatureLibrary.standard().resolve("tech_ema_200_dist").warmUp());
    }
}
