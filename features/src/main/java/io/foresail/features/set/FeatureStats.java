package io.foresail.features.set;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Summary of one column of a feature set: valid (non-NaN) count, NaN count and share, and the
 * mean, standard deviation (population), min and max of the valid values (NaN when none).
 */
public record FeatureStats(
        @JsonProperty("count") long count,
        @JsonProperty("nan_count") long nanCount,
        @JsonProperty("mean") double mean,
        @JsonProperty("std") double std,
        @JsonProperty("min") double min,
        @JsonProperty("max") double max) {

    public double nanShare() {
        long total = count + nanCount;
        return total == 0 ? 0.0 : (double) nanCount / total;
    }

    /**
     * Accumulates statistics with Chan et al.'s pairwise update, so partial results (one per
     * symbol) merge without cancellation. Merge in a fixed order for identical bits.
     */
    public static final class Accumulator implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private long count;
        private long nans;
        private double mean;
        private double m2;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;

        public void add(double x) {
            if (Double.isNaN(x)) {
                nans++;
                return;
            }
            count++;
            double d = x - mean;
            mean += d / count;
            m2 += d * (x - mean);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }

        public void addAll(double[] xs) {
            for (double x : xs) {
                add(x);
            }
        }

        public void merge(Accumulator o) {
            nans += o.nans;
            if (o.count == 0) {
                return;
            }
            if (count == 0) {
                count = o.count;
                mean = o.mean;
                m2 = o.m2;
                min = o.min;
                max = o.max;
                return;
            }
            long n = count + o.count;
            double d = o.mean - mean;
            mean += d * o.count / n;
            m2 += o.m2 + d * d * ((double) count * o.count / n);
            count = n;
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
        }

        public FeatureStats result() {
            if (count == 0) {
                return new FeatureStats(0, nans, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new FeatureStats(count, nans, mean, Math.sqrt(m2 / count), min, max);
        }
    }
}
