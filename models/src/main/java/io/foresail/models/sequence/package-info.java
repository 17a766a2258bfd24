/**
 * Sequence models on DJL/PyTorch (LSTM, Transformer encoder): windows of recent bars, the training
 * budget, and the one PyTorch thread.
 */
package io.foresail.models.sequence;
