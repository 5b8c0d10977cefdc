package io.shadowvm.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses YAML (and therefore JSON) into a {@link ConfigNode} tree that keeps each value's line and column.
 * Duplicate keys are errors. Syntax errors become {@link ConfigException}s with the parser's location.
 */
public final class ConfigParser {
    /** Files larger than this are refused before reading: configuration, not data. */
    public static final long MAX_FILE_BYTES = 64L << 20;
    private static final YAMLFactory YAML = new YAMLFactory();

    private ConfigParser() {
    }

    public static ConfigNode parse(Path file) {
        String name = file.toString();
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(name, 1, 1, "", "file is " + size + " bytes (expected: at most " + MAX_FILE_BYTES + ")");
            }
            return parse(Files.readString(file), name);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, 0, 0, "", "no such file");
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, "", "cannot read: " + e.getMessage());
        }
    }

    public static ConfigNode parse(String content, String fileName) {
        try (JsonParser p = YAML.createParser(content)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new ConfigException(fileName, 1, 1, "", "the file is empty");
            }
            ConfigNode root = read(p, fileName, "");
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new ConfigException(fileName, l.getLineNr(), l.getColumnNr(), "", "more than one document (expected: one)");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage();
            int cut = msg.indexOf('\n');
            throw new ConfigException(fileName, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), "",
                "invalid YAML: " + (cut > 0 ? msg.substring(0, cut) : msg));
        } catch (IOException e) {
            throw new ConfigException(fileName, 0, 0, "", "cannot read: " + e.getMessage());
        }
    }

    private static ConfigNode read(JsonParser p, String file, String path) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, ConfigNode> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    p.nextToken();
                    ConfigNode child = read(p, file, childPath);
                    if (fields.putIfAbsent(key, child) != null) {
                        throw new ConfigException(file, kl.getLineNr(), kl.getColumnNr(), childPath, "duplicate field");
                    }
                }
                return new ConfigNode(ConfigNode.Kind.MAP, file, line, col, path, fields, null, null);
            }
            case START_ARRAY -> {
                List<ConfigNode> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, file, path + "[" + i++ + "]"));
                }
                return new ConfigNode(ConfigNode.Kind.LIST, file, line, col, path, null, items, null);
            }
            case VALUE_NULL -> {
                return new ConfigNode(ConfigNode.Kind.NULL, file, line, col, path, null, null, null);
            }
            default -> {
                return new ConfigNode(ConfigNode.Kind.SCALAR, file, line, col, path, null, null, p.getText());
            }
        }
    }
}
