/**
 * Bytes in and out, the same way everywhere: the project's one JSON configuration
 * ({@link io.foresail.core.io.Json}) and one content digest ({@link io.foresail.core.io.Sha256}),
 * copying and deleting directory trees, and installing native libraries once, atomically, so that
 * concurrent processes never see them rewritten.
 */
package io.foresail.core.io;
