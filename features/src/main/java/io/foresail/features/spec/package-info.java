/**
 * Feature set specifications and their resolution against the library into a {@code FeaturePlan}.
 */
package io.foresail.features.spec;
