package io.foresail.models.sequence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import io.foresail.models.Hyperparameters;
import io.foresail.models.SearchSpace;

import java.util.List;

/**
 * The sequence networks: each builds its DJL block from hyperparameters (so a saved model is
 * rebuilt from its card, then its parameters loaded) and declares its search space. Input
 * {@code (batch, L, features)}, output one value per sample (a logit for a classifier).
 */
public enum SequenceNetwork {
    /** Stacked LSTM layers with dropout between them; the last step's state into a linear head. */
    LSTM_NET("lstm", List.of(
            SearchSpace.integer("hidden", 32, 8, 128),
            SearchSpace.integer("layers", 2, 1, 3),
            SearchSpace.linear("dropout", 0.1, 0.0, 0.5))) {
        @Override
        Block build(Hyperparameters h) {
            return new SequentialBlock()
                    .add(LSTM.builder().setStateSize(h.getInt("hidden")).setNumLayers(h.getInt("layers"))
                            .optDropRate((float) h.getDouble("dropout")).optBatchFirst(true).optReturnState(false).build())
                    .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, -1, :")), "last_step"))
                    .add(Linear.builder().setUnits(1).build());
        }
    },

    /**
     * A pre-norm Transformer encoder: a linear embedding of each bar, sinusoidal positions,
     * {@code layers} × [x + attention(LayerNorm(x)), x + feed-forward(LayerNorm(x))], a final
     * LayerNorm, mean pooling over time, a linear head.
     */
    TRANSFORMER_NET("transformer", List.of(
            SearchSpace.integer("d_model", 32, 16, 128),
            SearchSpace.integer("heads", 4, 2, 8),
            // One layer with a narrow feed-forward by default: a third of the cost of two wide ones
            // on 2 CPU cores, which buys the training budget more windows.
            SearchSpace.integer("layers", 1, 1, 4),
            SearchSpace.integer("ff_multiple", 2, 2, 4),
            SearchSpace.integer("last_step_pooling", 1, 0, 1),
            SearchSpace.linear("dropout", 0.1, 0.0, 0.3))) {
        @Override
        Block build(Hyperparameters h) {
            int heads = h.getInt("heads");
            // The model width must split evenly across heads.
            int d = Math.max(heads, h.getInt("d_model") / heads * heads);
            float dropout = (float) h.getDouble("dropout");
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(d).build())
                    .add(new LambdaBlock(x -> new NDList(withPositions(x.singletonOrThrow())), "positions"));
            for (int i = 0; i < h.getInt("layers"); i++) {
                net.add(residual(new SequentialBlock()
                        .add(LayerNorm.builder().axis(2).build())
                        .add(ScaledDotProductAttentionBlock.builder().setEmbeddingSize(d).setHeadCount(heads)
                                .optAttentionProbsDropoutProb(dropout).build())));
                net.add(residual(new SequentialBlock()
                        .add(LayerNorm.builder().axis(2).build())
                        .add(Linear.builder().setUnits((long) d * h.getInt("ff_multiple")).build())
                        .add(Activation::relu)
                        .add(Dropout.builder().optRate(dropout).build())
                        .add(Linear.builder().setUnits(d).build())));
            }
            // The newest bar's encoding (it has attended to the whole window) carries a recent signal
            // undiluted; mean pooling over the window (artifacts from before this option) blurs it.
            boolean last = ((Number) h.values().getOrDefault("last_step_pooling", 0)).intValue() == 1;
            return net.add(LayerNorm.builder().axis(2).build())
                    .add(last
                            ? new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, -1, :")), "last_step")
                            : new LambdaBlock(x -> new NDList(x.singletonOrThrow().mean(new int[] {1})), "mean_pool"))
                    .add(Linear.builder().setUnits(1).build());
        }
    };

    private final String type;
    private final List<SearchSpace.Param> architecture;

    SequenceNetwork(String type, List<SearchSpace.Param> architecture) {
        this.type = type;
        this.architecture = architecture;
    }

    abstract Block build(Hyperparameters h);

    public String type() {
        return type;
    }

    /** The architecture's parameters followed by the training discipline's, shared by every network. */
    SearchSpace space() {
        List<SearchSpace.Param> all = new java.util.ArrayList<>(architecture);
        all.addAll(List.of(
                SearchSpace.log("learning_rate", 1e-3, 1e-4, 1e-2),
                SearchSpace.log("weight_decay", 1e-4, 1e-6, 1e-2),
                SearchSpace.linear("clip_gradient", 1.0, 1.0, 1.0),
                SearchSpace.integer("batch_size", 512, 512, 512),
                // The training budget (SequenceNetTrainer.Budget): windows sampled per fit, inputs kept.
                // On a weak signal more distinct windows beat more passes over few (docs/training.md).
                SearchSpace.integer("epochs", 3, 3, 3),
                SearchSpace.integer("patience", 1, 1, 1),
                SearchSpace.integer("max_train_samples", 120_000, 120_000, 120_000),
                SearchSpace.integer("max_validation_samples", 20_000, 20_000, 20_000),
                SearchSpace.integer("input_features", 32, 16, 64)));
        return new SearchSpace(type, all);
    }

    static SequenceNetwork of(String type) {
        for (SequenceNetwork n : values()) {
            if (n.type.equals(type)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no sequence network '" + type + "'");
    }

    private static Block residual(Block branch) {
        return new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                List.of(branch, Blocks.identityBlock()));
    }

    /** The encodings by window shape ({@code length << 32 | width}); a handful of shapes per process. */
    private static final java.util.Map<Long, float[]> POSITIONS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * x + the sinusoidal encoding of positions 0..L-1 (Vaswani et al.), computed once per shape:
     * every bar's forward pass would otherwise recompute the same L × d sines.
     */
    static NDArray withPositions(NDArray x) {
        Shape s = x.getShape();
        int length = (int) s.get(1);
        int d = (int) s.get(2);
        float[] pe = POSITIONS.computeIfAbsent(((long) length << 32) | d, k -> positions(length, d));
        return x.add(SequenceNetModel.tensor(x.getManager(), pe, new Shape(1, length, d)));
    }

    /** The encoding's values (never modified once computed: shared by every call). */
    private static float[] positions(int length, int d) {
        float[] pe = new float[length * d];
        for (int pos = 0; pos < length; pos++) {
            for (int i = 0; i < d; i++) {
                double angle = pos / Math.pow(10000, (2 * (i / 2)) / (double) d);
                pe[pos * d + i] = (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return pe;
    }
}
