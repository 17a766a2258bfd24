/**
 * Project-owned Python virtualenvs created from pinned requirements (the MLflow server, the
 * benchmark peers), and running their scripts.
 */
package io.foresail.registry.python;
