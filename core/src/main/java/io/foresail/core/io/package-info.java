/**
 * File-system building blocks: deleting scratch trees, and installing native libraries once,
 * atomically, so that concurrent processes never see them rewritten.
 */
package io.foresail.core.io;
