package io.foresail.pipelines.training;

import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FitRequest;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.ModelTrainer;
import io.foresail.models.SearchSpace;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.gbm.XGBoostTrainer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * XGBoost fitted across a Spark cluster with xgboost4j-spark: the training rows are split into
 * {@code workers} partitions, one barrier task per partition builds its part of the histogram, and
 * the workers agree on every split through XGBoost's collective (a tracker on the driver). Same
 * booster parameters, early stopping on the validation rows and model artifact as
 * {@link XGBoostTrainer}; the card records the worker count. With one worker the result equals a
 * local fit; with more, the quantile sketch is merged across partitions, so trees can differ
 * slightly from a local fit, but a refit with the same workers is identical.
 *
 * <p>One fit occupies {@code workers} task slots at once, so {@link #distributed()} is true: a
 * search runs this trainer's trials one by one from the driver. Not serializable in any useful
 * sense: it holds the driver's Spark session.
 */
public final class DistributedXGBoostTrainer implements ModelTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedXGBoostTrainer.class);
    private static final String LABEL = "label";

    private final transient SparkSession spark;
    private final int workers;

    /**
     * @param spark   the driver's session (not closed here)
     * @param workers partitions, i.e. concurrent barrier tasks of one fit; at most the cluster's task slots
     */
    public DistributedXGBoostTrainer(SparkSession spark, int workers) {
        if (workers < 1) {
            throw new InvalidInputException("--workers must be at least 1, got " + workers);
        }
        int slots = spark.sparkContext().defaultParallelism();
        if (workers > slots) {
            throw new InvalidInputException("--workers " + workers + " exceeds the " + slots
                    + " task slots of Spark master " + spark.sparkContext().master()
                    + "; a distributed XGBoost fit needs all its workers at once");
        }
        this.spark = spark;
        this.workers = workers;
    }

    public int workers() {
        return workers;
    }

    @Override
    public String type() {
        return XGBoostTrainer.TYPE;
    }

    @Override
    public SearchSpace searchSpace() {
        return new XGBoostTrainer().searchSpace();
    }

    @Override
    public boolean distributed() {
        return true;
    }

    @Override
    public Model fit(FitRequest r) {
        Hyperparameters h = r.hyperparameters();
        Map<String, Object> params = new LinkedHashMap<>(XGBoostTrainer.params(h, r.task(), r.seed(), r.threads()));
        params.put("num_round", h.getInt("rounds"));
        params.put("num_early_stopping_rounds", h.getInt("early_stopping_rounds"));
        params.put("num_workers", workers);
        params.put("missing", Float.NaN);
        scala.collection.immutable.Map<String, Object> scalaParams =
                scala.collection.immutable.Map.from(scala.jdk.javaapi.CollectionConverters.asScala(params));
        String[] columns = columns(r.features().size());
        Dataset<Row> train = frame(r.train(), columns);
        Dataset<Row> validation = frame(r.validation(), columns);
        spark.sparkContext().setJobDescription("distributed xgboost fit, " + workers + " workers");
        // The collective's tracker listens on the driver: the address executors already use for it.
        String tracker = spark.conf().get("spark.driver.host", "127.0.0.1");
        long t0 = System.nanoTime();
        ml.dmlc.xgboost4j.scala.Booster fitted;
        if (r.task() == Task.CLASSIFICATION) {
            XGBoostClassifier estimator = new XGBoostClassifier(scalaParams);
            estimator.setFeaturesCol(columns);
            estimator.setLabelCol(LABEL);
            estimator.setEvalDataset(validation);
            estimator.setRabitTrackerHostIp(tracker);
            XGBoostClassificationModel m = estimator.fit(train);
            fitted = m.nativeBooster();
        } else {
            XGBoostRegressor estimator = new XGBoostRegressor(scalaParams);
            estimator.setFeaturesCol(columns);
            estimator.setLabelCol(LABEL);
            estimator.setEvalDataset(validation);
            estimator.setRabitTrackerHostIp(tracker);
            XGBoostRegressionModel m = estimator.fit(train);
            fitted = m.nativeBooster();
        }
        try {
            // A booster of our own, decoded from the fitted one's bytes: the estimator's model keeps
            // no claim on it, and what we hold is exactly what the artifact will store.
            Booster own = XGBoost.loadModel(fitted.booster().toByteArray("ubj"));
            LOG.info("distributed xgboost fit: {} rows on {} workers in {} ms", r.train().rows(), workers,
                    (System.nanoTime() - t0) / 1_000_000);
            return XGBoostTrainer.model(r, own, Map.of("workers", Integer.toString(workers)));
        } catch (XGBoostError | java.io.IOException e) {
            throw new ForesailException("distributed XGBoost fit failed: " + e.getMessage(), e);
        } finally {
            fitted.dispose();
        }
    }

    /** Column names f0..f(n-1): feature names may hold characters Spark column references reject. */
    private static String[] columns(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "f" + i;
        }
        return out;
    }

    /** The rows as a DataFrame of {@code workers} partitions, each a contiguous block of rows in order. */
    private Dataset<Row> frame(TrainingData d, String[] columns) {
        List<StructField> fields = new ArrayList<>(columns.length + 1);
        for (String c : columns) {
            fields.add(DataTypes.createStructField(c, DataTypes.FloatType, true));
        }
        fields.add(DataTypes.createStructField(LABEL, DataTypes.FloatType, false));
        StructType schema = DataTypes.createStructType(fields);
        int cols = columns.length;
        List<Block> blocks = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int from = (int) ((long) d.rows() * w / workers);
            int to = (int) ((long) d.rows() * (w + 1) / workers);
            float[] x = new float[(to - from) * cols];
            System.arraycopy(d.x().values(), from * cols, x, 0, x.length);
            float[] y = java.util.Arrays.copyOfRange(d.y(), from, to);
            blocks.add(new Block(x, y, cols));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(sc.parallelize(blocks, workers).flatMap(Block::rows), schema);
    }

    /** A contiguous block of rows: what one partition of a distributed fit holds. */
    private record Block(float[] x, float[] y, int cols) implements Serializable {
        Iterator<Row> rows() {
            return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < y.length;
                }

                @Override
                public Row next() {
                    Object[] v = new Object[cols + 1];
                    for (int c = 0; c < cols; c++) {
                        v[c] = x[i * cols + c];
                    }
                    v[cols] = y[i];
                    i++;
                    return RowFactory.create(v);
                }
            };
        }
    }
}
