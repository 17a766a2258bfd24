/**
 * The Spark feature-set job and its deterministic Parquet writer.
 */
package io.foresail.pipelines.features;
