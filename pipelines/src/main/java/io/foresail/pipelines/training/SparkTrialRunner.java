package io.foresail.pipelines.training;

import io.foresail.models.gbm.LightGbmNative;
import io.foresail.training.search.TrialRunner;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs trials as Spark tasks: one task per trial, a generation of a search per Spark job. A fold's
 * training and validation rows go to the executors once, as a broadcast, and each trial's model
 * comes back as its verified artifact files. Local Spark by default; any master works, since a
 * trial needs nothing but its broadcast. Owns its Spark session: close it.
 */
public final class SparkTrialRunner implements TrialRunner, AutoCloseable {
    private final SparkSession spark;
    private final JavaSparkContext sc;

    private SparkTrialRunner(SparkSession spark) {
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /**
     * Starts a Spark context for training.
     *
     * @param master a Spark master URL, e.g. {@code local[2]} or {@code spark://host:7077}
     */
    public static SparkTrialRunner start(String master) {
        SparkConf conf = new SparkConf()
                .setAppName("foresail-train")
                .setMaster(master)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                // A model's files come back as task results; the default 1 GiB cap is plenty, say so.
                .set("spark.driver.maxResultSize", "2g");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        // Executors in their own JVMs must load LightGBM from the same versioned directory, never
        // extract it to the shared temporary path (see LightGbmNative); each installs it if missing.
        String lightgbm = System.getenv(LightGbmNative.PATH_ENV);
        if (lightgbm != null && !lightgbm.isBlank()) {
            conf.set("spark.executorEnv." + LightGbmNative.PATH_ENV, lightgbm);
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return new SparkTrialRunner(spark);
    }

    /** The session, for work that is one Spark job rather than a trial per task (distributed XGBoost). */
    public SparkSession session() {
        return spark;
    }

    /** The default local master: as many concurrent trials as cores allow with {@code threads} per fit. */
    public static String localMaster(int threads) {
        return "local[" + Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, threads)) + "]";
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> run(List<T> trials, Trial<T, R> trial) {
        if (trials.isEmpty()) {
            return List.of();
        }
        sc.setJobDescription(trials.size() + " trials");
        return sc.parallelize(new ArrayList<>(trials), trials.size()).map(trial::apply).collect();
    }

    @Override
    public <V extends Serializable> Shared<V> share(V value) {
        return new BroadcastValue<>(sc.broadcast(value));
    }

    @Override
    public void close() {
        spark.stop();
    }

    /** A broadcast as a {@link TrialRunner.Shared}; released by destroying the broadcast. */
    private record BroadcastValue<V>(Broadcast<V> broadcast) implements Shared<V> {
        @Override
        public V get() {
            return broadcast.value();
        }

        @Override
        public void release() {
            broadcast.destroy();
        }
    }
}
