/**
 * Small statistics shared by features, training and reports: Pearson and Spearman correlation.
 */
package io.foresail.core.stats;
