package io.foresail.models;

/**
 * What a model predicts. A regressor predicts the label (a forward return); a classifier predicts
 * the probability that the label is 1 (the direction class, up = 1), a score in [0, 1].
 */
public enum Task {
    @com.fasterxml.jackson.annotation.JsonProperty("regression") REGRESSION,
    @com.fasterxml.jackson.annotation.JsonProperty("classification") CLASSIFICATION
}
