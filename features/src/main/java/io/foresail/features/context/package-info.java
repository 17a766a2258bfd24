/**
 * Context shared across symbols at a bar: benchmark and sector returns, and the cross-section of a
 * timestamp.
 */
package io.foresail.features.context;
