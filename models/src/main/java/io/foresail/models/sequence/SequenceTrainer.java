package io.foresail.models.sequence;

import io.foresail.models.Model;
import io.foresail.models.Trainer;

/**
 * Fits a sequence model on windows of rows. Stateless and thread-safe like
 * {@link io.foresail.models.ModelTrainer}; the returned model takes {@code batch × L} rows.
 */
public interface SequenceTrainer extends Trainer {

    Model fit(SequenceFitRequest request);

    /** Predicts the windows of {@code samples} in chunks, so no more than a chunk of windows is ever materialised. */
    static double[] predict(Model model, SequenceWindows windows, int[] samples) {
        if (model instanceof SequenceNetModel net) {
            return net.predict(windows, samples);
        }
        double[] out = new double[samples.length];
        int chunk = 4096;
        for (int from = 0; from < samples.length; from += chunk) {
            int to = Math.min(samples.length, from + chunk);
            double[] p = model.predict(windows.windows(java.util.Arrays.copyOfRange(samples, from, to)));
            System.arraycopy(p, 0, out, from, p.length);
        }
        return out;
    }
}
