package io.foresail.models.sequence;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;

import java.io.Serializable;

/**
 * Windows of the last {@code length} feature vectors of a symbol, gathered on demand from a shared
 * pool of rows: the input of sequence models (LSTM, Transformer). {@code previous[r]} is the row of
 * the same symbol's previous bar, or -1; a sample is the row of its window's last (newest) bar, and
 * its window follows {@code previous} back. Nothing is copied per sample until a batch is gathered,
 * so a data set of a million samples costs its rows once, not {@code length} times.
 *
 * <p>A window never holds a row later than its sample (it only walks back), so gathering cannot look
 * ahead. Windows are laid out oldest first, {@code length} consecutive rows per sample.
 */
public record SequenceWindows(FeatureMatrix pool, int[] previous, int length) implements Serializable {

    public SequenceWindows {
        if (previous.length != pool.rows()) {
            throw new InvalidInputException(pool.rows() + " rows but " + previous.length + " previous links");
        }
        if (length < 1) {
            throw new InvalidInputException("sequence length must be at least 1, got " + length);
        }
        for (int r = 0; r < previous.length; r++) {
            if (previous[r] >= r) {
                throw new InvalidInputException("row " + r + " links to row " + previous[r]
                        + "; a previous bar must come earlier in the pool");
            }
        }
    }

    /** Whether {@code row} has {@code length - 1} earlier bars of its symbol in the pool. */
    public boolean complete(int row) {
        int r = row;
        for (int k = 1; k < length; k++) {
            r = previous[r];
            if (r < 0) {
                return false;
            }
        }
        return true;
    }

    /** The rows of {@code sample}'s window, oldest first. */
    public int[] rowsOf(int sample) {
        int[] rows = new int[length];
        int r = sample;
        for (int k = length - 1; k >= 0; k--) {
            if (r < 0) {
                throw new InvalidInputException("row " + sample + " has fewer than " + length + " bars of history");
            }
            rows[k] = r;
            r = k > 0 ? previous[r] : r;
        }
        return rows;
    }

    /**
     * Writes the windows of {@code samples[from..to)} into {@code out} (at least
     * {@code (to - from) × length × cols} floats), oldest bar first.
     */
    public void gather(int[] samples, int from, int to, float[] out) {
        int p = pool.cols();
        float[] v = pool.values();
        int at = 0;
        for (int s = from; s < to; s++) {
            for (int row : rowsOf(samples[s])) {
                System.arraycopy(v, row * p, out, at, p);
                at += p;
            }
        }
    }

    /**
     * As {@link #gather(int[], int, int, float[])}, but only the given {@code columns} of each row, in
     * that order ({@code (to - from) × length × columns.length} floats): a model that reads a few of
     * the pool's columns never copies the rest.
     */
    public void gather(int[] samples, int from, int to, int[] columns, float[] out) {
        int p = pool.cols();
        if (columns.length == p && isIdentity(columns)) {
            gather(samples, from, to, out);
            return;
        }
        float[] v = pool.values();
        int at = 0;
        for (int s = from; s < to; s++) {
            for (int row : rowsOf(samples[s])) {
                int base = row * p;
                for (int c : columns) {
                    out[at++] = v[base + c];
                }
            }
        }
    }

    private static boolean isIdentity(int[] columns) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** The windows of {@code samples} as one matrix of {@code samples.length × length} rows: a sequence model's input. */
    public FeatureMatrix windows(int[] samples) {
        float[] out = new float[samples.length * length * pool.cols()];
        gather(samples, 0, samples.length, out);
        return new FeatureMatrix(out, samples.length * length, pool.cols());
    }

    /**
     * The previous-row links of rows ordered by time, given each row's symbol: row r links to the
     * latest earlier row of the same symbol.
     */
    public static int[] links(int[] symbolOfRow, int symbols) {
        int[] last = new int[symbols];
        java.util.Arrays.fill(last, -1);
        int[] previous = new int[symbolOfRow.length];
        for (int r = 0; r < symbolOfRow.length; r++) {
            previous[r] = last[symbolOfRow[r]];
            last[symbolOfRow[r]] = r;
        }
        return previous;
    }
}
