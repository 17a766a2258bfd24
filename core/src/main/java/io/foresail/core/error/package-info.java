/**
 * The error types every module throws: {@code InvalidInputException} for bad input (a clear,
 * one-line message naming the file, row or field), {@code ForesailException} for failures of the
 * machine or a dependency.
 */
package io.foresail.core.error;
