package io.shadowvm.predict.rnn;

/** The recurrent cell. */
public enum RecurrentKind {
    GRU,
    LSTM;

    public String modelName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
