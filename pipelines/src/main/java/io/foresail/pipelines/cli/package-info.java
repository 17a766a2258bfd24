/**
 * The {@code foresail} command line: options parsing and printing; the work happens in the modules
 * it calls.
 */
package io.foresail.pipelines.cli;
