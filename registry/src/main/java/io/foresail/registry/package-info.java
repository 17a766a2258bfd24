/**
 * The {@code ModelRegistry} seam: references ({@code NAME@alias}, {@code NAME/version}), versions,
 * aliases, locks, gated promotion and the verified local model cache shared by processes.
 */
package io.foresail.registry;
