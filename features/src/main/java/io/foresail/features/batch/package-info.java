/**
 * The batch passes that compute a feature set over a whole history, symbol by symbol and then
 * across symbols; the Spark job runs these.
 */
package io.foresail.features.batch;
