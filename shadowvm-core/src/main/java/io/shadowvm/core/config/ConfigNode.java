package io.shadowvm.core.config;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One node of a parsed YAML/JSON document that remembers where it came from (file, line, column) and its
 * path from the root, so that every validation error can point at the exact place. Accessors validate as
 * they read: a missing required field, a wrong type, a value out of range or an unknown field throws a
 * {@link ConfigException} naming file, line, column, field, the value and the bound.
 */
public final class ConfigNode {
    public enum Kind { MAP, LIST, SCALAR, NULL }

    private final Kind kind;
    private final String file;
    private final int line;
    private final int column;
    private final String path;
    private final Map<String, ConfigNode> fields;   // MAP, insertion ordered
    private final List<ConfigNode> items;          // LIST
    private final String text;                     // SCALAR

    ConfigNode(Kind kind, String file, int line, int column, String path,
               Map<String, ConfigNode> fields, List<ConfigNode> items, String text) {
        this.kind = kind;
        this.file = file;
        this.line = line;
        this.column = column;
        this.path = path;
        this.fields = fields;
        this.items = items;
        this.text = text;
    }

    public Kind kind() {
        return kind;
    }

    public String path() {
        return path;
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

    /** An error located at this node. */
    public ConfigException error(String detail) {
        return new ConfigException(file, line, column, path, detail);
    }

    // ---- structure -------------------------------------------------------------------------------

    public ConfigNode requireMap() {
        if (kind != Kind.MAP) {
            throw error("expected a mapping of fields, found " + describe());
        }
        return this;
    }

    public List<ConfigNode> requireList() {
        if (kind != Kind.LIST) {
            throw error("expected a list, found " + describe());
        }
        return items;
    }

    /** Rejects any field not in {@code allowed}; the error names the field and lists what is allowed. */
    public ConfigNode allowOnly(Set<String> allowed) {
        requireMap();
        for (Map.Entry<String, ConfigNode> e : fields.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                ConfigNode v = e.getValue();
                throw new ConfigException(file, v.line, v.column, childPath(e.getKey()),
                    "unknown field (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return this;
    }

    public boolean has(String field) {
        requireMap();
        ConfigNode n = fields.get(field);
        return n != null && n.kind != Kind.NULL;
    }

    public Set<String> fieldNames() {
        requireMap();
        return Collections.unmodifiableSet(fields.keySet());
    }

    /** The child node, which must be present. */
    public ConfigNode get(String field) {
        requireMap();
        ConfigNode n = fields.get(field);
        if (n == null || n.kind == Kind.NULL) {
            throw error("missing required field '" + field + "'");
        }
        return n;
    }

    /** The child node or {@code null} when absent or null. */
    public ConfigNode opt(String field) {
        requireMap();
        ConfigNode n = fields.get(field);
        return n == null || n.kind == Kind.NULL ? null : n;
    }

    // ---- scalars -----------------------------------------------------------------------------------

    public String asText() {
        if (kind != Kind.SCALAR) {
            throw error("expected a value, found " + describe());
        }
        return text;
    }

    public String text(String field) {
        String s = get(field).asText();
        if (s.isBlank()) {
            throw get(field).error("'' (expected: a non-empty string)");
        }
        return s;
    }

    public String text(String field, String defaultValue) {
        return has(field) ? text(field) : defaultValue;
    }

    /** A name: letters, digits, '-', '_', '.', 1..63 characters (safe in file names, metrics and ids). */
    public String name(String field) {
        ConfigNode n = get(field);
        String s = n.asText();
        if (!s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw n.error("'" + s + "' (expected: 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        return s;
    }

    public long asLong(long min, long max) {
        String s = asText().trim();
        long v;
        try {
            v = Long.parseLong(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error("'" + s + "' (expected: an integer in " + min + ".." + max + ")");
        }
        if (v < min || v > max) {
            throw error(v + " (expected: " + min + ".." + max + ")");
        }
        return v;
    }

    public long integer(String field, long min, long max) {
        return get(field).asLong(min, max);
    }

    public long integer(String field, long defaultValue, long min, long max) {
        return has(field) ? integer(field, min, max) : defaultValue;
    }

    public double asDouble(double min, double max) {
        String s = asText().trim();
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error("'" + s + "' (expected: a number in " + fmt(min) + ".." + fmt(max) + ")");
        }
        if (!(v >= min && v <= max)) {
            throw error(fmt(v) + " (expected: " + fmt(min) + ".." + fmt(max) + ")");
        }
        return v;
    }

    public double number(String field, double min, double max) {
        return get(field).asDouble(min, max);
    }

    public double number(String field, double defaultValue, double min, double max) {
        return has(field) ? number(field, min, max) : defaultValue;
    }

    public boolean bool(String field, boolean defaultValue) {
        if (!has(field)) {
            return defaultValue;
        }
        ConfigNode n = get(field);
        String s = n.asText().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw n.error("'" + n.text + "' (expected: true or false)");
        };
    }

    /** A value of an enum, written in lower case in the file (e.g. {@code mode: serving}). */
    public <E extends Enum<E>> E asEnum(Class<E> type) {
        String s = asText().trim();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw error("'" + s + "' (expected: one of " + enumNames(type) + ")");
    }

    public <E extends Enum<E>> E enumValue(String field, E defaultValue) {
        return has(field) ? get(field).asEnum(defaultValue.getDeclaringClass()) : defaultValue;
    }

    /** A list of scalars mapped through {@code parse} (which may throw via the item's {@link #error}). */
    public <T> List<T> list(String field, Function<ConfigNode, T> parse) {
        if (!has(field)) {
            return List.of();
        }
        return get(field).requireList().stream().map(parse).toList();
    }

    public static <E extends Enum<E>> String enumNames(Class<E> type) {
        StringBuilder sb = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    String childPath(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private String describe() {
        return switch (kind) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case SCALAR -> "'" + text + "'";
            case NULL -> "nothing";
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
