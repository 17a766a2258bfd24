/**
 * Charts for training reports, drawn headless.
 */
package io.foresail.training.report;
