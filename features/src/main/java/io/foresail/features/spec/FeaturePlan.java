package io.foresail.features.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.core.error.InvalidInputException;
import io.foresail.features.kernel.Feature;
import io.foresail.features.kernel.Requirement;
import io.foresail.features.library.FeatureLibrary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A spec resolved against the feature library: the kernel features in column order, the
 * cross-sectional outputs (each an op over a kernel feature of the plan), the labels and the NaN
 * policy. Batch job and online engine both run a plan, which is what makes them agree.
 */
public final class FeaturePlan {
    /** Version of everything outside the kernels that shapes values: context, cross-sections, labels. */
    public static final String ENGINE_VERSION = "engine/1";

    private final FeatureSetSpec spec;
    private final List<Feature> features;
    private final List<CrossSectional> crossSectional;
    private final Set<Requirement> requirements;

    /** One cross-sectional output: {@code op} over the plan's kernel feature at {@code sourceIndex}. */
    public record CrossSectional(String name, String op, String source, int sourceIndex) {
    }

    private FeaturePlan(FeatureSetSpec spec, List<Feature> features, List<CrossSectional> crossSectional) {
        this.spec = spec;
        this.features = List.copyOf(features);
        this.crossSectional = List.copyOf(crossSectional);
        EnumSet<Requirement> req = EnumSet.noneOf(Requirement.class);
        features.forEach(f -> req.addAll(f.requirements()));
        this.requirements = Collections.unmodifiableSet(req);
    }

    /** Resolves every name of {@code spec}; unknown names fail with the nearest valid ones. */
    public static FeaturePlan resolve(FeatureSetSpec spec, FeatureLibrary library) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < spec.features().size(); i++) {
            names.addAll(expand(spec.features().get(i), i, library));
        }
        Set<String> seen = new HashSet<>();
        List<Feature> features = new ArrayList<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new InvalidInputException("features: '" + n + "' is listed twice (directly or through a group)");
            }
            features.add(library.resolve(n));
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) {
            index.put(features.get(i).name(), i);
        }
        List<CrossSectional> xs = new ArrayList<>();
        for (String source : spec.crossSectional().features()) {
            Integer at = index.get(source);
            if (at == null) {
                throw new InvalidInputException("cross_sectional.features: '" + source
                        + "' is not among the set's features" + FeatureLibrary.suggest(source, index.keySet()));
            }
            if (features.get(at).requirements().contains(Requirement.SECTOR)) {
                throw new InvalidInputException("cross_sectional.features: '" + source
                        + "' reads sector returns, which are themselves cross-sectional; pick a per-symbol feature");
            }
            for (String op : spec.crossSectional().ops()) {
                xs.add(new CrossSectional(CrossSectionalSpec.outputName(op, source), op, source, at));
            }
        }
        return new FeaturePlan(spec, features, xs);
    }

    private static List<String> expand(JsonNode entry, int position, FeatureLibrary library) {
        String where = "features[" + position + "]";
        if (entry.isTextual()) {
            String text = entry.asText();
            return library.isGroup(text) ? library.group(text) : List.of(text);
        }
        if (entry.isObject() && entry.size() == 1) {
            String indicator = entry.fieldNames().next();
            JsonNode windows = entry.get(indicator);
            if (!windows.isArray() || windows.isEmpty()) {
                throw new InvalidInputException(where + ": '" + indicator + "' needs a list of windows, e.g. [14]");
            }
            List<Integer> w = new ArrayList<>();
            for (JsonNode n : windows) {
                if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                    throw new InvalidInputException(where + ": window '" + n + "' of " + indicator + " is not an integer");
                }
                w.add(n.asInt());
            }
            try {
                return library.expand(indicator, w);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(where + ": " + e.getMessage(), e);
            }
        }
        throw new InvalidInputException(where + ": expected a group, a feature name, or {indicator: [windows]}, got " + entry);
    }

    public FeatureSetSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public List<Feature> features() {
        return features;
    }

    public List<CrossSectional> crossSectional() {
        return crossSectional;
    }

    public LabelSpec labels() {
        return spec.labels();
    }

    public NanPolicy nanPolicy() {
        return spec.nanPolicy();
    }

    public Set<Requirement> requirements() {
        return requirements;
    }

    /** Whether the benchmark's returns are needed (by a feature or by excess-return labels). */
    public boolean needsBenchmark() {
        return requirements.contains(Requirement.BENCHMARK) || spec.labels().excess();
    }

    public boolean needsSector() {
        return requirements.contains(Requirement.SECTOR);
    }

    /** The longest warm-up of any feature, in bars. */
    public int maxWarmUp() {
        return features.stream().mapToInt(Feature::warmUp).max().orElse(1);
    }

    /** The kernel features whose values the cross-sectional outputs read, ascending, without duplicates. */
    public int[] crossSectionalSources() {
        return crossSectional.stream().mapToInt(CrossSectional::sourceIndex).distinct().sorted().toArray();
    }

    /** Output feature columns: kernel features, then cross-sectional ones. */
    public List<String> featureNames() {
        List<String> out = new ArrayList<>(features.size() + crossSectional.size());
        features.forEach(f -> out.add(f.name()));
        crossSectional.forEach(x -> out.add(x.name()));
        return out;
    }

    public int width() {
        return features.size() + crossSectional.size();
    }

    /** Each feature's kernel version, by name, in column order. */
    public Map<String, String> kernelVersions() {
        Map<String, String> out = new LinkedHashMap<>();
        features.forEach(f -> out.put(f.name(), f.version()));
        return out;
    }
}
