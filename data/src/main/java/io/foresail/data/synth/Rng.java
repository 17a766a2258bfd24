package io.foresail.data.synth;

import java.util.SplittableRandom;

/**
 * The generator's random source: {@link SplittableRandom} (whose algorithm is specified, so a seed
 * means the same stream on every JVM) plus normal and Student-t draws computed here with
 * {@link StrictMath}, so the synthetic market is byte-identical across machines.
 */
final class Rng {
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    Rng(SplittableRandom random) {
        this.random = random;
    }

    Rng split() {
        return new Rng(random.split());
    }

    double uniform() {
        return random.nextDouble();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Standard normal (Marsaglia's polar method). */
    double normal() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }

    /**
     * Student-t with 4 degrees of freedom scaled to unit variance. A chi-square with 4 degrees of
     * freedom is {@code -2 ln(U1 U2)}, so one draw costs one normal and two uniforms.
     */
    double studentT4() {
        double z = normal();
        double u1 = 1 - random.nextDouble();
        double u2 = 1 - random.nextDouble();
        double chi2 = -2 * StrictMath.log(u1 * u2);
        // Var(t4) = 4 / (4 - 2) = 2
        return z / StrictMath.sqrt(chi2 / 4) / StrictMath.sqrt(2);
    }

    double exponential() {
        return -StrictMath.log(1 - random.nextDouble());
    }
}
