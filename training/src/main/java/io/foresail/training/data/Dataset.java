package io.foresail.training.data;

import io.foresail.core.error.InvalidInputException;
import io.foresail.features.set.FeatureSetManifest;
import io.foresail.models.FeatureMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A feature set in memory for training: one contiguous row-major float32 matrix of all features,
 * rows ordered by bar time and then symbol, with each row's time, symbol and label values. Parts
 * are read through Arrow ({@link FeatureSetReader}) on all cores, then placed into the matrix.
 * Times are epoch microseconds (UTC bar starts).
 *
 * <p>Immutable after loading; slices are index arrays, so folds and trials share the one matrix.
 */
public final class Dataset {
    private static final Logger LOG = LoggerFactory.getLogger(Dataset.class);

    private final Path dir;
    private final FeatureSetManifest manifest;
    private final List<String> symbols;
    private final long[] ts;
    private final int[] symbol;
    private final FeatureMatrix x;
    private final Map<String, double[]> labels;
    /** The distinct bar times, ascending; {@code barOf[row]} indexes it. */
    private final long[] times;
    private final int[] barOf;
    private int[] previous;

    private Dataset(Path dir, FeatureSetManifest manifest, List<String> symbols, long[] ts, int[] symbol, FeatureMatrix x,
                    Map<String, double[]> labels, long[] times, int[] barOf) {
        this.dir = dir;
        this.manifest = manifest;
        this.symbols = symbols;
        this.ts = ts;
        this.symbol = symbol;
        this.x = x;
        this.labels = labels;
        this.times = times;
        this.barOf = barOf;
    }

    /**
     * Loads the feature set in {@code dir} ({@code <root>/<name>/<id>}).
     *
     * @throws InvalidInputException when the directory holds no feature set, or a part disagrees
     *                               with the manifest
     */
    public static Dataset load(Path dir) {
        if (!Files.isRegularFile(dir.resolve(FeatureSetManifest.FILE))) {
            throw new InvalidInputException(dir + " is not a feature set: no " + FeatureSetManifest.FILE
                    + " (expected ROOT/<name>/<id> as printed by 'features build')");
        }
        FeatureSetManifest m = FeatureSetManifest.read(dir);
        List<String> features = m.featureNames();
        List<String> labelNames = m.labelNames();
        int p = features.size();
        // Parts are independent files: decode them on all cores, keep them in manifest order.
        List<FeatureSetReader.Part> readParts = m.parts().parallelStream().map(part -> FeatureSetReader.read(dir.resolve(part)))
                .toList();
        List<FeatureSetReader.Part> parts = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        long total = 0;
        for (int index = 0; index < m.parts().size(); index++) {
            String part = m.parts().get(index);
            FeatureSetReader.Part read = readParts.get(index);
            if (read.values().length != p + labelNames.size()) {
                throw new InvalidInputException(dir.resolve(part) + " has " + read.values().length
                        + " value columns; the manifest lists " + p + " features and " + labelNames.size() + " labels");
            }
            for (int k = 0; k < read.columns().size(); k++) {
                String expected = k < p ? features.get(k) : labelNames.get(k - p);
                if (!read.columns().get(k).equals(expected)) {
                    throw new InvalidInputException(dir.resolve(part) + ": value column " + (k + 1) + " is '"
                            + read.columns().get(k) + "', the manifest says '" + expected + "'");
                }
            }
            parts.add(read);
            symbols.add(symbolOf(part));
            total += read.rows();
        }
        if (total != m.rows()) {
            throw new InvalidInputException(dir + ": parts hold " + total + " rows, the manifest says " + m.rows());
        }
        if ((long) total * p > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(dir + ": " + total + " rows x " + p + " features exceed one Java array; "
                    + "select fewer features or a shorter range");
        }
        long[] times = parts.stream().flatMapToLong(pt -> Arrays.stream(pt.ts())).distinct().sorted().toArray();
        int[] perBar = new int[times.length + 1];
        for (FeatureSetReader.Part pt : parts) {
            for (long t : pt.ts()) {
                perBar[Arrays.binarySearch(times, t) + 1]++;
            }
        }
        for (int b = 0; b < times.length; b++) {
            perBar[b + 1] += perBar[b];
        }
        int n = (int) total;
        long[] ts = new long[n];
        int[] sym = new int[n];
        int[] barOf = new int[n];
        float[] values = new float[n * p];
        Map<String, double[]> labels = new LinkedHashMap<>();
        labelNames.forEach(l -> labels.put(l, new double[n]));
        double[][] labelColumns = labels.values().toArray(double[][]::new);
        int[] next = Arrays.copyOf(perBar, times.length);
        // Parts come in symbol order, so within a bar the rows land in symbol order too.
        for (int s = 0; s < parts.size(); s++) {
            FeatureSetReader.Part pt = parts.get(s);
            for (int i = 0; i < pt.rows(); i++) {
                int bar = Arrays.binarySearch(times, pt.ts()[i]);
                int row = next[bar]++;
                ts[row] = pt.ts()[i];
                sym[row] = s;
                barOf[row] = bar;
                int base = row * p;
                for (int k = 0; k < p; k++) {
                    values[base + k] = (float) pt.values()[k][i];
                }
                for (int l = 0; l < labelColumns.length; l++) {
                    labelColumns[l][row] = pt.values()[p + l][i];
                }
            }
        }
        LOG.info("loaded feature set {}: {} rows, {} features, {} symbols, {} bars", m.id(), n, p, symbols.size(), times.length);
        return new Dataset(dir, m, List.copyOf(symbols), ts, sym, new FeatureMatrix(values, n, p), labels, times, barOf);
    }

    private static String symbolOf(String part) {
        String file = Path.of(part).getFileName().toString();
        return file.startsWith("part-") && file.endsWith(".parquet") ? file.substring(5, file.length() - 8) : file;
    }

    /** The feature set's directory. */
    public Path dir() {
        return dir;
    }

    /**
     * The inputs a model trained on this set records in its card; null for a set built before plans
     * were recorded (such a model can be evaluated but not served).
     */
    public io.foresail.models.ModelInputs modelInputs() {
        return manifest.plan() == null ? null
                : new io.foresail.models.ModelInputs(manifest.id(), manifest.planHash(), manifest.barManifestHash(), manifest.plan());
    }

    public FeatureSetManifest manifest() {
        return manifest;
    }

    public String featureSetId() {
        return manifest.id();
    }

    public List<String> features() {
        return manifest.featureNames();
    }

    public List<String> symbols() {
        return symbols;
    }

    public int rows() {
        return ts.length;
    }

    /** Row times (epoch micros). */
    public long[] ts() {
        return ts;
    }

    /** Row symbols, as indexes into {@link #symbols()}. */
    public int[] symbol() {
        return symbol;
    }

    public FeatureMatrix x() {
        return x;
    }

    /** The distinct bar times, ascending. */
    public long[] times() {
        return times;
    }

    /** Each row's index into {@link #times()}. */
    public int[] barOf() {
        return barOf;
    }

    public List<String> labelNames() {
        return List.copyOf(labels.keySet());
    }

    /**
     * A label column.
     *
     * @throws InvalidInputException naming the available labels when there is no such label
     */
    public double[] label(String name) {
        double[] l = labels.get(name);
        if (l == null) {
            throw new InvalidInputException("feature set " + manifest.id() + " has no label '" + name
                    + "'; it has " + String.join(", ", labels.keySet()));
        }
        return l;
    }

    /**
     * Sequence windows of {@code length} bars over this data set's rows (each row linked to its
     * symbol's previous row), for sequence models; no row is copied until a batch is gathered.
     */
    public io.foresail.models.sequence.SequenceWindows windows(int length) {
        return new io.foresail.models.sequence.SequenceWindows(x, previous(), length);
    }

    /** Per row, the row of the same symbol's previous bar, or -1 for its first. */
    public synchronized int[] previous() {
        if (previous == null) {
            previous = io.foresail.models.sequence.SequenceWindows.links(symbol, symbols.size());
        }
        return previous;
    }

    /** The first row at or after bar {@code bar} (rows are ordered by bar). */
    public int firstRowOfBar(int bar) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (barOf[mid] < bar) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
