package io.shadowvm.core.config;

import io.shadowvm.core.ShadowVmException;

/**
 * A mistake in a configuration file. The message always starts with {@code file:line:column:} and names
 * the field, the value found and what is allowed, e.g. {@code vms.yaml:12:5: shadows: -1 (expected: 0..16)}.
 */
public final class ConfigException extends ShadowVmException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final int column;
    private final String field;

    public ConfigException(String file, int line, int column, String field, String detail) {
        super(file + ":" + line + ":" + column + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + detail);
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The offending field's path, e.g. {@code vms[3].shadows}. */
    public String field() {
        return field;
    }
}
