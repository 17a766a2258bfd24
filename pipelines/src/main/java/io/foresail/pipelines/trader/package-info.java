/** The trader launched from the CLI, in a JVM of its own ({@code ./foresail trade}, {@code ./foresail trader}). */
package io.foresail.pipelines.trader;
