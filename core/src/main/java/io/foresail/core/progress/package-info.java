/**
 * Progress reporting for long jobs, independent of how it is shown (a terminal bar in the CLI,
 * nothing in tests).
 */
package io.foresail.core.progress;
