/**
 * Saved models: a directory with the network weights ({@code rnn-0000.params}, DJL's format) and
 * {@code manifest.json} (format version, model kind, inputs, normalization, horizons, training-data digest,
 * calibration, metrics). {@link io.shadowvm.predict.artifact.ModelArtifact#load} refuses a directory whose
 * manifest does not match what it expects, naming the field, the value and the expected value.
 */
package io.shadowvm.predict.artifact;
