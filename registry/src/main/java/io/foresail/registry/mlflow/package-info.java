/**
 * The registry on an MLflow server over REST: runs, metrics and artifacts, verified publishing,
 * aliases, locks, and the project's pinned server.
 */
package io.foresail.registry.mlflow;
