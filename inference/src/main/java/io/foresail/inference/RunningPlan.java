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

    /**
     * The plan this build of Foresail computes for the spec, timeframe, universe and benchmark a
     * model recorded: the kernels of this process's library, resolved from the model's spec. Its
     * hash equals the model's exactly when this process would compute the model's inputs the same
     * way (same kernels and versions, same engine).
     */
    public static RunningPlan recomputed(io.foresail.models.ModelInputs inputs) {
        JsonNode doc = inputs.plan();
        FeaturePlan plan = FeaturePlan.resolve(FeatureSetId.specFromJson(doc.path("spec").toString()),
                io.foresail.features.library.FeatureLibrary.standard());
        JsonNode recomputed = FeatureSetId.plan(plan, inputs.timeframe(), inputs.sectors(), inputs.benchmark());
        int warmUp = plan.features().stream().mapToInt(Feature::warmUp).max().orElse(1);
        return new RunningPlan(recomputed, FeatureSetId.planHash(recomputed), plan.featureNames(), warmUp);
    }

    /** The symbols the plan computes features for (its equities), ascending. */
    public List<String> symbols() {
        List<String> out = new java.util.ArrayList<>();
        document.path("sectors").fieldNames().forEachRemaining(out::add);
        java.util.Collections.sort(out);
        return out;
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
