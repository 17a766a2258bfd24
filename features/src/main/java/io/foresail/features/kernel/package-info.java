/**
 * The {@code FeatureKernel} seam: an incremental computation with a warm-up, a version and a
 * documented value range, and the {@code Feature} that names it.
 */
package io.foresail.features.kernel;
