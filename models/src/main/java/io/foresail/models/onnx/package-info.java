/**
 * Imported ONNX models, with their input schema checked against the model card.
 */
package io.foresail.models.onnx;
