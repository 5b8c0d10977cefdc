package io.shadowvm.predict.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads {@code timestamp,value[,value...]} CSV files with a header line into one {@link Series} per value
 * column. Empty cells are gaps; a column whose header and every cell are empty (a trailing comma) is ignored.
 * Rows may repeat a timestamp or leave gaps: the samples are put on a constant grid (the median positive step,
 * snapped to a common sampling interval within 20%), averaging samples that fall in the same slot and interpolating
 * empty slots linearly.
 * Errors name file, line and column (1-based).
 */
public final class CsvSeriesLoader {
    /** A gap of more than this many steps is refused rather than interpolated. */
    public static final int MAX_GAP_STEPS = 10_000;

    private CsvSeriesLoader() {
    }

    public static List<Series> load(Path file) {
        return load(file, name -> true);
    }

    /** Loads the value columns whose header matches {@code columns}. */
    public static List<Series> load(Path file, Predicate<String> columns) {
        String fileName = file.toString();
        try (BufferedReader in = TextFiles.open(file)) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw DataFormatException.at(fileName, 1, 1, "empty file (expected a header line: timestamp,value[,value...])");
            }
            List<String> header = splitCsv(stripBom(headerLine));
            if (header.size() < 2) {
                throw DataFormatException.at(fileName, 1, 1,
                    "header has " + header.size() + " column (expected: at least 2, timestamp,value[,value...])");
            }
            if (Timestamps.parse(header.get(0)) != Long.MIN_VALUE && isNumber(header.get(1))) {
                throw DataFormatException.at(fileName, 1, 1, "the first line looks like data, not a header: '"
                    + headerLine + "' (expected a header line: timestamp,value[,value...])");
            }
            int cols = header.size();
            long[] times = new long[1024];
            double[][] vals = new double[cols - 1][1024];
            boolean[] seenValue = new boolean[cols - 1];
            int rows = 0;
            int lineNo = 1;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = splitCsv(line);
                if (cells.size() != cols) {
                    throw DataFormatException.at(fileName, lineNo, Math.min(cells.size(), cols) + 1,
                        "row has " + cells.size() + " columns (expected: " + cols + " as in the header)");
                }
                long t = Timestamps.parse(cells.get(0));
                if (t == Long.MIN_VALUE) {
                    throw DataFormatException.at(fileName, lineNo, 1, "bad timestamp '" + cells.get(0)
                        + "' (expected: Unix seconds/ms, ISO-8601, 'YYYY-MM-DD HH:MM[:SS]' or 'YYYY-MM-DD-HH-MM')");
                }
                if (rows == times.length) {
                    times = Arrays.copyOf(times, rows * 2);
                    for (int c = 0; c < vals.length; c++) {
                        vals[c] = Arrays.copyOf(vals[c], rows * 2);
                    }
                }
                times[rows] = t;
                for (int c = 1; c < cols; c++) {
                    String cell = cells.get(c).trim();
                    double v;
                    if (cell.isEmpty()) {
                        v = Double.NaN;
                    } else {
                        try {
                            v = Double.parseDouble(cell);
                        } catch (NumberFormatException e) {
                            throw DataFormatException.at(fileName, lineNo, c + 1, "bad number '" + cell
                                + "' in column '" + header.get(c) + "'");
                        }
                        if (!Double.isFinite(v)) {
                            throw DataFormatException.at(fileName, lineNo, c + 1, "value " + cell
                                + " in column '" + header.get(c) + "' is not finite");
                        }
                        seenValue[c - 1] = true;
                    }
                    vals[c - 1][rows] = v;
                }
                rows++;
            }
            if (rows < 2) {
                throw DataFormatException.at(fileName, lineNo, 1, "only " + rows + " data rows (expected: at least 2)");
            }
            List<Series> out = new ArrayList<>();
            for (int c = 1; c < cols; c++) {
                String name = header.get(c).trim();
                if (name.isEmpty() && !seenValue[c - 1]) {
                    continue;
                }
                if (name.isEmpty()) {
                    name = "column" + (c + 1);
                }
                if (!columns.test(name)) {
                    continue;
                }
                if (!seenValue[c - 1]) {
                    throw DataFormatException.at(fileName, 2, c + 1, "column '" + name + "' has no values");
                }
                out.add(Resampler.toGrid(fileName, name, Arrays.copyOf(times, rows), Arrays.copyOf(vals[c - 1], rows)));
            }
            if (out.isEmpty()) {
                throw DataFormatException.at(fileName, 1, 2, "no value column selected (header: " + header + ")");
            }
            return out;
        } catch (IOException e) {
            throw new DataFormatException("cannot read " + fileName + ": " + e.getMessage(), e);
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    /** Splits one CSV line; double quotes protect commas, {@code ""} inside quotes is a quote. */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        cells.add(cur.toString());
        return cells;
    }
}
