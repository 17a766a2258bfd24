/** The simulator's process: {@link io.foresail.alpacasim.app.SimMain} reads a bar store and runs the server until stopped. */
package io.foresail.alpacasim.app;
