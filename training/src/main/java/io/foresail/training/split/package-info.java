/**
 * Walk-forward splits in calendar months with purge and embargo, so no label window reaches a later
 * segment.
 */
package io.foresail.training.split;
