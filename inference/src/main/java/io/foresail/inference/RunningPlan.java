package io.foresail.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.core.market.Timeframe;
import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Universe;
import io.foresail.features.kernel.Feature;
import io.foresail.features.set.FeatureSetId;
import io.foresail.features.spec.FeaturePlan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The feature plan this process computes, as the registry's models record theirs: the plan
 * document and its hash (features module, {@link FeatureSetId#plan}), the columns in order, and the
 * bars a symbol needs before every column is past its warm-up. A model is served only if its
 * recorded plan hash equals this one's.
 *
 * @param warmUpBars bars of a symbol after which every feature is defined (the longest warm-up)
 */
public record RunningPlan(JsonNode document, String hash, List<String> columns, int warmUpBars) {

    public RunningPlan {
        columns = List.copyOf(columns);
    }

    /** The plan of an online engine built from {@code plan} over {@code universe}'s equities at {@code timeframe}. */
    public static RunningPlan of(FeaturePlan plan, Timeframe timeframe, Universe universe) {
        Map<String, String> sectors = new TreeMap<>();
        for (Equity e : universe.equities()) {
            sectors.put(e.symbol(), e.sector().name());
        }
        JsonNode doc = FeatureSetId.plan(plan, timeframe.toString(), sectors, universe.benchmark().symbol());
        int warmUp = plan.features().stream().mapToInt(Feature::warmUp).max().orElse(1);
        return new RunningPlan(doc, FeatureSetId.planHash(doc), plan.featureNames(), warmUp);
    }
}
