/**
 * Forward-return labels (raw, excess over the benchmark, direction) for training; never inputs.
 */
package io.foresail.features.label;
