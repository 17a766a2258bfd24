package io.foresail.models.sequence;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Task;

import java.io.Serializable;
import java.util.List;

/**
 * A sequence model's fit: windows over one pool of rows, the training and validation samples (row
 * indices of each window's newest bar) with their labels, and the provenance for the model card.
 * Every sample must have a complete window.
 */
public record SequenceFitRequest(
        SequenceWindows windows,
        int[] trainSamples,
        float[] trainLabels,
        int[] validationSamples,
        float[] validationLabels,
        Task task,
        Hyperparameters hyperparameters,
        List<String> features,
        String target,
        String featureSetId,
        String trainFrom,
        String trainTo,
        long seed,
        int threads) implements Serializable {

    public SequenceFitRequest {
        features = List.copyOf(features);
        if (trainSamples.length != trainLabels.length || validationSamples.length != validationLabels.length) {
            throw new InvalidInputException("samples and labels differ in number");
        }
        if (trainSamples.length == 0 || validationSamples.length == 0) {
            throw new InvalidInputException("a sequence fit needs training and validation samples");
        }
        if (features.size() != windows.pool().cols()) {
            throw new InvalidInputException(features.size() + " feature names for " + windows.pool().cols() + " columns");
        }
    }

    public SequenceFitRequest with(Hyperparameters h) {
        return new SequenceFitRequest(windows, trainSamples, trainLabels, validationSamples, validationLabels, task, h,
                features, target, featureSetId, trainFrom, trainTo, seed, threads);
    }
}
