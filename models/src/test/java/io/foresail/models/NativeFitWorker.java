package io.foresail.models;

import io.foresail.models.gbm.LightGbmTrainer;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.models.sequence.SequenceFitRequest;
import io.foresail.models.sequence.SequenceNetTrainer;
import io.foresail.models.sequence.SequenceWindows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A child process for {@link ConcurrentNativeProcessesTest}: fits LightGBM, XGBoost and an LSTM in a
 * loop, each round on the same data with the same seeds, and requires every round to predict the
 * same bits. Writes {@code <name>.ready} after its first round, stops once {@code stop} exists (and
 * it has done two rounds), then prints {@code digest=<hex> rounds=<n>}. Exit 0 only if all held.
 *
 * <p>Arguments: the shared directory, this worker's name.
 */
public final class NativeFitWorker {
    private NativeFitWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[1];
        long deadline = System.nanoTime() + 180_000_000_000L;
        String first = null;
        int rounds = 0;
        while (rounds < 2 || !Files.exists(dir.resolve("stop"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no stop signal within 180 s");
            }
            String digest = round();
            rounds++;
            if (first == null) {
                first = digest;
                Files.writeString(dir.resolve(name + ".ready"), digest);
            } else if (!first.equals(digest)) {
                throw new IllegalStateException("round " + rounds + " predicted " + digest + ", round 1 " + first);
            }
        }
        System.out.println("digest=" + first + " rounds=" + rounds);
    }

    private static String round() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ModelsTest.Data test = ModelsTest.synthetic(500, 3, false);
        for (ModelTrainer t : List.of(new LightGbmTrainer(), new XGBoostTrainer())) {
            try (Model m = t.fit(ModelsTest.request(t, Task.REGRESSION, Map.of("rounds", 40)))) {
                update(sha, m.predict(test.rows().x()));
            }
        }
        update(sha, lstm());
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A small LSTM on random windows: the point is the native library under load, not the fit. */
    private static double[] lstm() {
        SplittableRandom r = new SplittableRandom(5);
        int rows = 1200;
        int p = 4;
        float[] x = new float[rows * p];
        float[] y = new float[rows];
        int[] symbol = new int[rows];
        for (int i = 0; i < rows; i++) {
            symbol[i] = i % 2;
            for (int j = 0; j < p; j++) {
                x[i * p + j] = (float) r.nextGaussian();
            }
            y[i] = (float) r.nextGaussian();
        }
        SequenceWindows w = new SequenceWindows(new FeatureMatrix(x, rows, p), SequenceWindows.links(symbol, 2), 6);
        int[] complete = IntStream.range(0, rows).filter(w::complete).toArray();
        int[] train = IntStream.of(complete).filter(i -> i < 900).toArray();
        int[] validation = IntStream.of(complete).filter(i -> i >= 900 && i < 1100).toArray();
        int[] test = IntStream.of(complete).filter(i -> i >= 1100).toArray();
        SequenceNetTrainer trainer = SequenceNetTrainer.lstm();
        SequenceFitRequest fit = new SequenceFitRequest(w, train, take(y, train), validation, take(y, validation), new FitProvenance(Task.REGRESSION, trainer.searchSpace().withOverrides(Map.of("hidden", 8, "layers", 1, "epochs", 2)),
                List.of("a", "b", "c", "d"), "label_fwd_1_raw", "synthetic", null, null, 3, 1));
        try (Model m = trainer.fit(fit)) {
            return m.predict(w.windows(test));
        }
    }

    private static float[] take(float[] y, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    private static void update(MessageDigest sha, double[] v) {
        for (double d : v) {
            long bits = Double.doubleToRawLongBits(d);
            for (int k = 0; k < 8; k++) {
                sha.update((byte) (bits >>> (8 * k)));
            }
        }
    }
}
