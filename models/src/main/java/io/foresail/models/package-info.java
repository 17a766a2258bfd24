/**
 * The {@code Model} seam and its artifact format: {@code ModelCard} ({@code model.json}), verified
 * save and load with checksums, trainers and their search spaces.
 */
package io.foresail.models;
