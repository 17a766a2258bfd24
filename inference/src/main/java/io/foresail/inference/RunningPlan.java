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

    /**
     * The plan a feature set was built with, as recorded in its manifest.
     *
     * @throws io.foresail.core.error.InvalidInputException for a set built before plans were recorded
     */
    public static RunningPlan ofFeatureSet(io.foresail.features.set.FeatureSetManifest m) {
        if (m.plan() == null) {
            throw new io.foresail.core.error.InvalidInputException("feature set " + m.id() + " records no plan (format "
                    + io.foresail.features.set.FeatureSetManifest.FORMAT_WITHOUT_PLAN + "); rebuild it with 'foresail features build'");
        }
        int warmUp = m.features().stream().mapToInt(io.foresail.features.set.FeatureSetManifest.Column::warmUp).max().orElse(1);
        return new RunningPlan(m.plan(), m.planHash(), m.featureNames(), warmUp);
    }

    /**
     * Checks that a model takes this plan's inputs: its recorded plan hash is this one's (else the
     * first difference is named), its columns are this plan's in order, and its window fits in
     * {@code windowCapacity} bars.
     *
     * @param who the model, for the message (e.g. {@code version 3})
     * @throws io.foresail.core.error.InvalidInputException naming what differs
     */
    public void requireServes(io.foresail.models.ModelCard card, String who, int windowCapacity) {
        io.foresail.models.ModelInputs in = card.inputs();
        if (in == null) {
            throw new io.foresail.core.error.InvalidInputException(who + " records no feature plan (trained on a feature set "
                    + "built before plans were recorded); retrain it on a rebuilt feature set");
        }
        if (!in.planHash().equals(hash)) {
            throw new io.foresail.core.error.InvalidInputException(who + " was trained on feature plan " + in.planHash()
                    + ", this process computes " + hash + "; first difference (expected: the model's, found: this "
                    + "process's) " + FeatureSetId.firstDifference(in.plan(), document)
                    .orElse("none in the documents (the hash function changed)"));
        }
        if (!card.features().equals(columns)) {
            int i = 0;
            while (i < Math.min(columns.size(), card.features().size()) && columns.get(i).equals(card.features().get(i))) {
                i++;
            }
            throw new io.foresail.core.error.InvalidInputException(who + " takes " + card.features().size()
                    + " features, this process computes " + columns.size() + "; they differ first at column " + i);
        }
        int window = Math.max(1, card.sequenceLength());
        if (window > windowCapacity) {
            throw new io.foresail.core.error.InvalidInputException(who + " reads windows of " + window
                    + " bars; this service keeps " + windowCapacity);
        }
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
