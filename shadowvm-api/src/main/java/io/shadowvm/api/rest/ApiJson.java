package io.shadowvm.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.stream.Collectors;

/**
 * The strict JSON mapper of the REST API: unknown fields, trailing tokens, nulls for primitives and
 * numbers where strings belong are errors, and {@link #read} turns each into an {@link ApiException} (400)
 * whose message names the field.
 */
public final class ApiJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();

    /** Largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private ApiJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses {@code json} as {@code type}, or throws a 400 {@link ApiException} naming the field at fault. */
    public static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new ApiException(400, null, "empty request body (expected: a JSON object)");
        }
        if (json.length() > MAX_BODY_BYTES) {
            throw new ApiException(400, null, "request body of " + json.length() + " bytes (expected: <= "
                + MAX_BODY_BYTES + ")");
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ApiException(400, field, "unknown field '" + field + "' (expected one of: "
                + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "))
                + ")");
        } catch (InvalidFormatException e) {
            String field = path(e);
            throw new ApiException(400, field, field + ": invalid value " + e.getValue() + " (expected: "
                + e.getTargetType().getSimpleName() + ")");
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new ApiException(400, field.isEmpty() ? null : field,
                (field.isEmpty() ? "body" : field) + ": wrong type (expected: "
                    + (e.getTargetType() == null ? "?" : e.getTargetType().getSimpleName()) + ")");
        } catch (JsonProcessingException e) {
            throw new ApiException(400, null, "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
