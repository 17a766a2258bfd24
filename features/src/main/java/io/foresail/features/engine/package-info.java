/**
 * The {@code OnlineFeatureEngine}: the same kernels fed one cross-section per bar close, bit for
 * bit equal to the batch passes.
 */
package io.foresail.features.engine;
