/**
 * The expression operators kernels are built from (element-wise, rolling, smoothing), compiled into
 * one shared graph per symbol with shared rolling state.
 */
package io.foresail.features.expr;
