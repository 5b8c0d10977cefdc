package io.shadowvm.predict.artifact;

import io.shadowvm.predict.PredictException;

/** A model directory that cannot be used: wrong format version, kind, inputs or missing weights. */
public final class ArtifactMismatchException extends PredictException {
    private static final long serialVersionUID = 1L;

    public ArtifactMismatchException(String message) {
        super(message);
    }
}
