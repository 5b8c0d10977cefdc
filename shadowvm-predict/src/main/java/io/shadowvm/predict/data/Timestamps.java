package io.shadowvm.predict.data;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses the timestamp forms found in traffic traces into Unix seconds (UTC when no zone is given):
 * a number (Unix seconds; values above 1e11 are taken as milliseconds), ISO-8601 with or without zone,
 * {@code YYYY-MM-DD HH:MM[:SS]}, {@code YYYY-MM-DD-HH-MM} (TOTEM) and a bare date.
 */
final class Timestamps {
    private static final DateTimeFormatter SPACE_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter SPACE_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TOTEM = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm");

    private Timestamps() {
    }

    /** Unix seconds, or {@code Long.MIN_VALUE} when the text is not a timestamp. */
    static long parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return Long.MIN_VALUE;
        }
        char c0 = s.charAt(0);
        if ((c0 >= '0' && c0 <= '9') && s.indexOf('-') < 0 && s.indexOf(':') < 0) {
            try {
                double v = Double.parseDouble(s);
                if (!Double.isFinite(v) || v < 0) {
                    return Long.MIN_VALUE;
                }
                return v > 1e11 ? (long) Math.floor(v / 1000.0) : (long) Math.floor(v);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            }
            if (s.length() == 16 && s.charAt(10) == '-') {
                return LocalDateTime.parse(s, TOTEM).toEpochSecond(ZoneOffset.UTC);
            }
            if (s.length() >= 11 && s.charAt(10) == 'T') {
                if (s.endsWith("Z") || s.indexOf('+', 10) > 0 || s.lastIndexOf('-') > 10) {
                    return OffsetDateTime.parse(s).toEpochSecond();
                }
                return LocalDateTime.parse(s).toEpochSecond(ZoneOffset.UTC);
            }
            if (s.length() == 19) {
                return LocalDateTime.parse(s, SPACE_SECONDS).toEpochSecond(ZoneOffset.UTC);
            }
            if (s.length() == 16) {
                return LocalDateTime.parse(s, SPACE_MINUTES).toEpochSecond(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
        return Long.MIN_VALUE;
    }
}
