/**
 * Training on Spark (trials as tasks, distributed XGBoost), its plots, and recording a run and its
 * ensemble in MLflow.
 */
package io.foresail.pipelines.training;
