/**
 * Feature sets on disk: the id (a hash of everything that decides the content), the manifest and
 * per-feature statistics.
 */
package io.foresail.features.set;
