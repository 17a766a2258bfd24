/**
 * The traded universe: equities with their sectors, and the benchmark.
 */
package io.foresail.core.universe;
