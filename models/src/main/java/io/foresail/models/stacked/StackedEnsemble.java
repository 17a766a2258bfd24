package io.foresail.models.stacked;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * A stacked ensemble as one deployable model: level-0 member models, each a complete model artifact
 * of its own, combined by a {@link MetaLearner} over their predictions and optional passthrough raw
 * features. On disk it is one artifact directory:
 * <pre>
 * model.json              the ensemble's card (type stacked-ensemble)
 * ensemble.json           the manifest: members (name, type, window), passthrough features, meta-learner
 * members/&lt;name&gt;/        each member's artifact (its own model.json and checksums.sha256)
 * checksums.sha256        over every file above, members' files included
 * </pre>
 *
 * <p>Input: like any model, rows whose columns are {@link ModelCard#features()}. When a member is a
 * sequence model the ensemble's card has that {@code sequence_length} L and takes {@code batch × L}
 * rows, each sample's window oldest first; row members and passthrough features read each window's
 * last row. Output: one prediction per sample. Owns its members: {@link #close} closes them.
 */
public final class StackedEnsemble implements Model {
    public static final String TYPE = "stacked-ensemble";
    public static final String MANIFEST = "ensemble.json";
    public static final String MANIFEST_FORMAT = "foresail-ensemble/1";
    /** The card attribute listing the member names, comma-separated, in the meta-learner's order. */
    public static final String MEMBERS_ATTRIBUTE = "members";

    /** {@code ensemble.json}. */
    public record Manifest(@JsonProperty("format") String format,
                           @JsonProperty("members") List<MemberEntry> members,
                           @JsonProperty("passthrough") List<String> passthrough,
                           @JsonProperty("meta_learner") MetaLearner meta) {
    }

    /** A member as the manifest lists it: where its artifact is and its out-of-sample rank IC from the folds. */
    public record MemberEntry(@JsonProperty("name") String name,
                              @JsonProperty("type") String type,
                              @JsonProperty("dir") String dir,
                              @JsonProperty("sequence_length") int sequenceLength,
                              @JsonProperty("out_of_sample_rank_ic") Double outOfSampleRankIc) {
    }

    private final ModelCard card;
    private final Manifest manifest;
    private final List<Model> members;
    private final int[] passthrough;
    /** Each member's last prediction time, in nanoseconds (0 until it has run): how {@link #lanes} deals them. */
    private final AtomicLongArray lastNanos;

    /**
     * Assembles an ensemble; it takes ownership of {@code members} (in the meta-learner's input order).
     *
     * @throws InvalidInputException when members disagree on features, or the meta-learner's
     *                               inputs do not match the members and passthrough features
     */
    public StackedEnsemble(ModelCard card, Manifest manifest, List<Model> members) {
        this.card = card;
        this.manifest = manifest;
        this.members = List.copyOf(members);
        this.lastNanos = new AtomicLongArray(members.size());
        MetaLearner meta = manifest.meta();
        if (members.size() != manifest.members().size() || meta.members() != members.size()) {
            throw new InvalidInputException("ensemble lists " + manifest.members().size() + " members, has "
                    + members.size() + " models and a meta-learner of " + meta.members());
        }
        List<String> expected = new ArrayList<>();
        manifest.members().forEach(m -> expected.add(m.name()));
        expected.addAll(manifest.passthrough());
        if (!expected.equals(meta.inputs())) {
            throw new InvalidInputException("meta-learner inputs " + meta.inputs() + " are not the members and passthrough "
                    + expected);
        }
        for (int i = 0; i < members.size(); i++) {
            ModelCard m = members.get(i).card();
            if (!m.features().equals(card.features())) {
                throw new InvalidInputException("member " + manifest.members().get(i).name()
                        + " takes other features than the ensemble");
            }
            if (m.sequenceLength() > card.sequenceLength()) {
                throw new InvalidInputException("member " + manifest.members().get(i).name() + " needs windows of "
                        + m.sequenceLength() + " bars; the ensemble gives " + card.sequenceLength());
            }
        }
        passthrough = manifest.passthrough().stream().mapToInt(f -> {
            int i = card.features().indexOf(f);
            if (i < 0) {
                throw new InvalidInputException("passthrough feature " + f + " is not an input of the ensemble");
            }
            return i;
        }).toArray();
    }

    @Override
    public ModelCard card() {
        return card;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The member models, in the meta-learner's order (owned by this ensemble). */
    public List<Model> members() {
        return members;
    }

    public MetaLearner meta() {
        return manifest.meta();
    }

    /** Only when every member does: each sees the same inputs. */
    @Override
    public boolean acceptsMissingValues() {
        return members.stream().allMatch(Model::acceptsMissingValues);
    }

    @Override
    public double[] predict(FeatureMatrix x) {
        return predict(x, null, 0);
    }

    /**
     * As {@link #predict(FeatureMatrix)}, with the members side by side in lanes: one on the
     * calling thread and up to {@code helpers} on {@code executor}, each lane's members one after
     * the other. The predictions are the same bits (each member's own, combined by the
     * meta-learner in its order); the time is about the slowest lane's when there are cores for
     * them. Members go to the least loaded lane longest first, by the time each took last (the
     * manifest's order until each has run once). The executor's threads should be the caller's to
     * use: a lane queued behind other work waits for it. Returns once every lane has ended.
     *
     * @throws RuntimeException a member's failure, as the member threw it
     */
    public double[] predict(FeatureMatrix x, Executor executor, int helpers) {
        card.checkInputs(x);
        int length = Math.max(1, card.sequenceLength());
        if (x.rows() % length != 0) {
            throw new InvalidInputException("stacked ensemble takes windows of " + length + " rows; got " + x.rows() + " rows");
        }
        int batch = x.rows() / length;
        FeatureMatrix last = length == 1 ? x : x.select(windowRows(batch, length, 1));
        double[][] columns = new double[members.size() + passthrough.length][];
        FeatureMatrix[] inputs = new FeatureMatrix[members.size()];
        for (int m = 0; m < members.size(); m++) {
            int own = members.get(m).card().sequenceLength();
            inputs[m] = own == 0 ? last : own == length ? x : x.select(windowRows(batch, length, own));
        }
        if (executor == null || helpers < 1 || members.size() < 2) {
            for (int m = 0; m < members.size(); m++) {
                columns[m] = timed(m, inputs[m]);
            }
        } else {
            List<List<Integer>> lanes = lanes(Math.min(helpers + 1, members.size()));
            List<CompletableFuture<Void>> away = new ArrayList<>(lanes.size() - 1);
            for (List<Integer> lane : lanes.subList(1, lanes.size())) {
                away.add(CompletableFuture.runAsync(() -> lane.forEach(m -> columns[m] = timed(m, inputs[m])), executor));
            }
            RuntimeException failed = null;
            try {
                lanes.get(0).forEach(m -> columns[m] = timed(m, inputs[m]));
            } catch (RuntimeException e) {
                failed = e;
            }
            for (CompletableFuture<Void> f : away) {
                try {
                    f.join(); // every lane ends before this returns (or throws): none still reads the inputs
                } catch (CompletionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new ForesailException("ensemble member failed: " + e.getCause(), e.getCause());
                    if (failed == null) {
                        failed = cause;
                    } else {
                        failed.addSuppressed(cause);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
        for (int j = 0; j < passthrough.length; j++) {
            double[] c = new double[batch];
            for (int i = 0; i < batch; i++) {
                c[i] = last.get(i, passthrough[j]);
            }
            columns[members.size() + j] = c;
        }
        return manifest.meta().predict(columns, batch);
    }

    private double[] timed(int m, FeatureMatrix in) {
        long t0 = System.nanoTime();
        double[] out = members.get(m).predict(in);
        lastNanos.set(m, System.nanoTime() - t0);
        return out;
    }

    /**
     * The members dealt into {@code n} lanes, longest first to the least loaded lane (the calling
     * thread's is lane 0), by each member's last time.
     */
    private List<List<Integer>> lanes(int n) {
        Integer[] order = new Integer[members.size()];
        for (int m = 0; m < order.length; m++) {
            order[m] = m;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(lastNanos.get(b), lastNanos.get(a))); // stable: ties keep the manifest's order
        List<List<Integer>> lanes = new ArrayList<>(n);
        long[] load = new long[n];
        for (int i = 0; i < n; i++) {
            lanes.add(new ArrayList<>());
        }
        for (int m : order) {
            int least = 0;
            for (int i = 1; i < n; i++) {
                if (load[i] < load[least]) {
                    least = i;
                }
            }
            lanes.get(least).add(m);
            load[least] += Math.max(1, lastNanos.get(m));
        }
        return lanes;
    }

    /** The last {@code keep} rows of each of {@code batch} windows of {@code length} rows. */
    private static int[] windowRows(int batch, int length, int keep) {
        int[] rows = new int[batch * keep];
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < keep; k++) {
                rows[i * keep + k] = i * length + length - keep + k;
            }
        }
        return rows;
    }

    /** The members' importances blended by the magnitude of their standardised meta-learner weights. */
    @Override
    public Map<String, Double> featureImportance() {
        double[] w = manifest.meta().weights();
        double total = 0;
        for (int m = 0; m < members.size(); m++) {
            total += Math.abs(w[m]);
        }
        double[] scores = new double[card.features().size()];
        for (int m = 0; m < members.size(); m++) {
            double share = total == 0 ? 1.0 / members.size() : Math.abs(w[m]) / total;
            Map<String, Double> imp = members.get(m).featureImportance();
            for (int f = 0; f < scores.length; f++) {
                scores[f] += share * imp.getOrDefault(card.features().get(f), 0.0);
            }
        }
        return Model.shares(card.features(), scores);
    }

    @Override
    public List<String> writeFiles(Path dir) {
        try {
            List<String> files = new ArrayList<>();
            for (int m = 0; m < members.size(); m++) {
                Path memberDir = dir.resolve(manifest.members().get(m).dir());
                members.get(m).save(memberDir);
                try (Stream<Path> s = Files.walk(memberDir)) {
                    s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                            .sorted().forEach(files::add);
                }
            }
            Files.write(dir.resolve(MANIFEST), Json.PRETTY.writeValueAsBytes(manifest));
            files.add(MANIFEST);
            return files;
        } catch (IOException e) {
            throw new ForesailException("cannot write stacked ensemble to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Model m : members) {
            try {
                m.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * The {@code stacked-ensemble} model type: loads the manifest, then each member through
     * {@link ModelArtifact#load}. It has no trainer of its own: stacking builds it from the
     * members' out-of-fold predictions.
     */
    public static final class Type implements ModelType {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            Manifest manifest;
            try {
                manifest = Json.MAPPER.readValue(dir.resolve(MANIFEST).toFile(), Manifest.class);
            } catch (IOException e) {
                throw new InvalidInputException(dir.resolve(MANIFEST) + " is not a valid ensemble manifest: "
                        + e.getMessage(), e);
            }
            if (!MANIFEST_FORMAT.equals(manifest.format())) {
                throw new InvalidInputException(dir.resolve(MANIFEST) + ": format is '" + manifest.format()
                        + "', expected " + MANIFEST_FORMAT);
            }
            List<Model> loaded = new ArrayList<>();
            try {
                Map<String, Boolean> seen = new LinkedHashMap<>();
                for (MemberEntry m : manifest.members()) {
                    Path memberDir = dir.resolve(m.dir()).normalize();
                    if (!memberDir.startsWith(dir.normalize()) || seen.put(m.dir(), true) != null) {
                        throw new InvalidInputException(dir.resolve(MANIFEST) + ": member " + m.name()
                                + " has an invalid directory '" + m.dir() + "'");
                    }
                    loaded.add(ModelArtifact.load(memberDir));
                }
                return new StackedEnsemble(card, manifest, loaded);
            } catch (RuntimeException e) {
                loaded.forEach(Model::close);
                throw e;
            }
        }
    }
}
