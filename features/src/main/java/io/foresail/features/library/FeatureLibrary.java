package io.foresail.features.library;

import io.foresail.core.error.InvalidInputException;
import io.foresail.features.kernel.Feature;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every feature Foresail can compute, addressed by name: {@code family_indicator_window_variant}.
 * A name with any admissible window resolves (e.g. {@code tech_rsi_9_raw}), so a spec's names are
 * its parameters. Groups name whole families: {@code alpha158}, {@code tech}, {@code vol},
 * {@code intra}, {@code rel}, and {@code default} (all of them at their default windows).
 */
public final class FeatureLibrary {
    private static final Pattern NAME = Pattern.compile("([a-z][a-z0-9]*_[a-z][a-z0-9]*)_([0-9]+)_([a-z0-9][a-z0-9_.]*)");
    private static final FeatureLibrary STANDARD = new FeatureLibrary();

    private final Map<String, Indicator> indicators = new LinkedHashMap<>();

    private FeatureLibrary() {
        for (List<Indicator> family : List.of(Alpha158.indicators(), Technical.indicators(),
                Volatility.indicators(), Intraday.indicators(), Relative.indicators())) {
            for (Indicator i : family) {
                if (indicators.put(i.prefix(), i) != null) {
                    throw new IllegalStateException("duplicate indicator " + i.prefix());
                }
            }
        }
    }

    public static FeatureLibrary standard() {
        return STANDARD;
    }

    public List<Indicator> indicators() {
        return List.copyOf(indicators.values());
    }

    public Optional<Indicator> indicator(String familyAndName) {
        return Optional.ofNullable(indicators.get(familyAndName));
    }

    /** Group names usable in a spec. */
    public List<String> groups() {
        List<String> g = new ArrayList<>(List.of("default"));
        indicators.values().stream().map(Indicator::family).distinct().forEach(g::add);
        return g;
    }

    public boolean isGroup(String name) {
        return groups().contains(name);
    }

    /** The names of a group at the default windows, in library order. */
    public List<String> group(String group) {
        if (!isGroup(group)) {
            throw new InvalidInputException("unknown feature group '" + group + "'; groups are " + groups());
        }
        List<String> out = new ArrayList<>();
        for (Indicator i : indicators.values()) {
            if (group.equals("default") || i.family().equals(group)) {
                out.addAll(defaults(i));
            }
        }
        return out;
    }

    /** The default-window names of one indicator, e.g. {@code tech_rsi} gives RSI 7, 14, 21. */
    public List<String> defaults(Indicator i) {
        List<String> out = new ArrayList<>();
        for (int w : i.defaultWindows()) {
            for (String v : i.variants()) {
                out.add(i.featureName(w, v));
            }
        }
        return out;
    }

    /** The names of one indicator over the given windows, all variants. */
    public List<String> expand(String indicatorName, List<Integer> windows) {
        Indicator i = indicators.get(indicatorName);
        if (i == null) {
            throw new InvalidInputException("unknown indicator '" + indicatorName + "'"
                    + suggest(indicatorName, indicators.keySet()));
        }
        List<String> out = new ArrayList<>();
        for (int w : windows) {
            checkWindow(i, w, indicatorName);
            for (String v : i.variants()) {
                out.add(i.featureName(w, v));
            }
        }
        return out;
    }

    /** The feature of a name, or a clear error naming the nearest valid names. */
    public Feature resolve(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new InvalidInputException("'" + name + "' is not a feature name (family_indicator_window_variant)"
                    + suggest(name, group("default")));
        }
        Indicator i = indicators.get(m.group(1));
        if (i == null) {
            throw new InvalidInputException("unknown feature '" + name + "'" + suggest(name, group("default")));
        }
        int window;
        try {
            window = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("feature '" + name + "': window " + m.group(2) + " is too large");
        }
        checkWindow(i, window, name);
        String variant = m.group(3);
        if (!i.variants().contains(variant)) {
            throw new InvalidInputException("feature '" + name + "': unknown variant '" + variant + "'; "
                    + i.prefix() + " has " + i.variants());
        }
        return i.feature(window, variant);
    }

    private static void checkWindow(Indicator i, int window, String name) {
        if (!i.acceptsWindow(window)) {
            throw new InvalidInputException("feature '" + name + "': window " + window + " is invalid; "
                    + i.prefix() + " takes a window of " + i.windowRule());
        }
    }

    /** "; did you mean a, b, c?" with the nearest names by edit distance. */
    public static String suggest(String name, java.util.Collection<String> candidates) {
        List<String> nearest = candidates.stream()
                .sorted(Comparator.comparingInt((String c) -> editDistance(name, c)).thenComparing(c -> c))
                .limit(3)
                .toList();
        return nearest.isEmpty() ? "" : "; did you mean " + String.join(", ", nearest) + "?";
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
