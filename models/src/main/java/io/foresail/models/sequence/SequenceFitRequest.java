package io.foresail.models.sequence;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FitProvenance;
import io.foresail.models.Hyperparameters;

import java.io.Serializable;
import java.util.Objects;

/**
 * A sequence model's fit: windows over one pool of rows, the training and validation samples (row
 * indices of each window's newest bar) with their labels, and the {@link FitProvenance} for the
 * model card. Every sample must have a complete window.
 */
public record SequenceFitRequest(
        SequenceWindows windows,
        int[] trainSamples,
        float[] trainLabels,
        int[] validationSamples,
        float[] validationLabels,
        FitProvenance provenance) implements FitProvenance.Carrier, Serializable {

    public SequenceFitRequest {
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(provenance, "provenance");
        if (trainSamples.length != trainLabels.length || validationSamples.length != validationLabels.length) {
            throw new InvalidInputException("samples and labels differ in number");
        }
        if (trainSamples.length == 0 || validationSamples.length == 0) {
            throw new InvalidInputException("a sequence fit needs training and validation samples");
        }
        if (provenance.features().size() != windows.pool().cols()) {
            throw new InvalidInputException(provenance.features().size() + " feature names for " + windows.pool().cols()
                    + " columns");
        }
    }

    /** The same fit with other hyperparameters (a search trial). */
    public SequenceFitRequest with(Hyperparameters h) {
        return new SequenceFitRequest(windows, trainSamples, trainLabels, validationSamples, validationLabels,
                provenance.with(h));
    }
}
