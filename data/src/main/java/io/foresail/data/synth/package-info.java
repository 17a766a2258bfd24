/**
 * The synthetic market for demos and tests: bars with a planted, documented alpha, its oracle, and
 * a faulty copy with known defects.
 */
package io.foresail.data.synth;
