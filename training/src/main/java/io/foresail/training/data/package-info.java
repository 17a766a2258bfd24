/**
 * Datasets: a feature set read through Arrow into one float matrix with its labels, times and
 * symbols.
 */
package io.foresail.training.data;
