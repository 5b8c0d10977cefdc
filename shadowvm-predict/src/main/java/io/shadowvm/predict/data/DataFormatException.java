package io.shadowvm.predict.data;

import io.shadowvm.predict.PredictException;

/** A data file that cannot be read as a series; the message names file, line and column. */
public final class DataFormatException extends PredictException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    static DataFormatException at(String file, int line, int column, String what) {
        return new DataFormatException(file + ":" + line + ":" + column + ": " + what);
    }
}
