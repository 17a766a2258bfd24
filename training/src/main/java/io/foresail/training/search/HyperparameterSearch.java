package io.foresail.training.search;

import io.foresail.models.Hyperparameters;
import io.foresail.models.SearchSpace;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.MeanAlterer;
import io.jenetics.Mutator;
import io.jenetics.Phenotype;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.Evaluator;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGeneratorFactory;

/**
 * Hyperparameter search with Jenetics: a genetic algorithm over the unit cube of a model's
 * {@link SearchSpace} (log-scale rates, integer depths, ...). The first generation holds the
 * defaults and random points; each later generation breeds the best. A generation's new points
 * are scored together by one {@link BatchObjective} call, so they can run in parallel (threads or
 * Spark tasks).
 *
 * <p>Budget: at most {@code trials} fits, and no new generation after {@code timeBudget}. With a
 * fixed seed and no time cut-off the search is reproducible: the engine runs single-threaded on a
 * seeded generator, and trial results do not depend on where they ran.
 */
public final class HyperparameterSearch {
    private static final Logger LOG = LoggerFactory.getLogger(HyperparameterSearch.class);

    /** One evaluated point. */
    public record Trial(int number, Hyperparameters hyperparameters, double score) {
    }

    /** All trials in the order they ran, and the best. */
    public record Result(List<Trial> trials, Trial best) {
    }

    /** Scores points, one score per point in order; higher is better. Deterministic for reproducible searches. */
    @FunctionalInterface
    public interface BatchObjective {
        List<Double> score(List<Hyperparameters> points);
    }

    private final SearchSpace space;
    private final Hyperparameters base;
    private final int trials;
    private final Duration timeBudget;
    private final long seed;

    public HyperparameterSearch(SearchSpace space, Hyperparameters base, int trials, Duration timeBudget, long seed) {
        if (trials < 1) {
            throw new IllegalArgumentException("a search needs at least one trial, got " + trials);
        }
        this.space = space;
        this.base = base;
        this.trials = trials;
        this.timeBudget = timeBudget;
        this.seed = seed;
    }

    public Result run(BatchObjective objective) {
        List<SearchSpace.Param> searched = space.searched();
        List<Trial> done = new ArrayList<>();
        if (searched.isEmpty() || trials == 1) {
            done.add(new Trial(0, base, sanitize(objective.score(List.of(base)).get(0))));
            return new Result(done, done.get(0));
        }
        long deadline = System.nanoTime() + timeBudget.toNanos();
        int population = Math.max(4, Math.min(trials, (int) Math.ceil(trials / 3.0)));
        Genotype<DoubleGene> defaults = Genotype.of(DoubleChromosome.of(
                searched.stream().map(p -> DoubleGene.of(encode(p, base), 0, 1)).toList()));
        double[] defaultsUnit = defaults.chromosome().as(DoubleChromosome.class).toArray();
        Evaluator<DoubleGene, Double> evaluator = (Seq<Phenotype<DoubleGene, Double>> pop) -> {
            List<Phenotype<DoubleGene, Double>> pending = new ArrayList<>();
            for (Phenotype<DoubleGene, Double> p : pop) {
                if (!p.isEvaluated()) {
                    pending.add(p);
                }
            }
            int room = Math.max(0, trials - done.size());
            List<Phenotype<DoubleGene, Double>> run = pending.subList(0, Math.min(room, pending.size()));
            List<Hyperparameters> points = run.stream().map(p -> decode(p.genotype(), defaultsUnit)).toList();
            List<Double> scores = points.isEmpty() ? List.of()
                    : objective.score(points).stream().map(HyperparameterSearch::sanitize).toList();
            java.util.Map<Phenotype<DoubleGene, Double>, Double> fitness = new java.util.IdentityHashMap<>();
            for (int i = 0; i < run.size(); i++) {
                Trial t = new Trial(done.size(), points.get(i), scores.get(i));
                done.add(t);
                fitness.put(run.get(i), scores.get(i));
                LOG.info("{} trial {}/{}: score {} with {}", space.model(), t.number() + 1, trials,
                        String.format(java.util.Locale.ROOT, "%.5f", t.score()), t.hyperparameters());
            }
            // Over-budget individuals get the worst fitness; the search stops before breeding from them.
            return pop.map(p -> p.isEvaluated() ? p
                    : p.withFitness(fitness.getOrDefault(p, Double.NEGATIVE_INFINITY))).asISeq();
        };
        Genotype<DoubleGene> shape = Genotype.of(DoubleChromosome.of(0, 1, searched.size()));
        Engine<DoubleGene, Double> engine = new Engine.Builder<>(evaluator, shape)
                .populationSize(population)
                .maximizing()
                .selector(new TournamentSelector<>(2))
                .alterers(new Mutator<>(0.3), new MeanAlterer<>(0.5))
                .executor(Runnable::run)
                .build();
        RandomRegistry.with(RandomGeneratorFactory.of("L64X128MixRandom").create(seed), r ->
                engine.stream(List.<Genotype<DoubleGene>>of(defaults))
                        .limit(result -> done.size() < trials && System.nanoTime() < deadline)
                        .collect(EvolutionResult.toBestEvolutionResult()));
        Trial best = done.stream().max(java.util.Comparator.comparingDouble(Trial::score)
                .thenComparing(t -> -t.number())).orElseThrow();
        return new Result(List.copyOf(done), best);
    }

    private Hyperparameters decode(Genotype<DoubleGene> g, double[] defaultsUnit) {
        double[] unit = g.chromosome().as(DoubleChromosome.class).toArray();
        // The seeded defaults are the configured values exactly, not their round trip through the cube.
        return java.util.Arrays.equals(unit, defaultsUnit) ? base : space.decode(unit, base);
    }

    private static double encode(SearchSpace.Param p, Hyperparameters base) {
        double v = base.getDouble(p.name());
        double u = p.scale() == SearchSpace.Scale.LOG
                ? (Math.log(v) - Math.log(p.low())) / (Math.log(p.high()) - Math.log(p.low()))
                : (v - p.low()) / (p.high() - p.low());
        return Math.max(0, Math.min(1, u));
    }

    /** A NaN score (e.g. a constant prediction has no IC) ranks below every real one. */
    private static double sanitize(double s) {
        return Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
    }
}
