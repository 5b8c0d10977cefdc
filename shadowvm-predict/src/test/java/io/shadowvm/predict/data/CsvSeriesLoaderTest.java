package io.shadowvm.predict.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void shouldReadOneSeriesPerValueColumnWithAConstantStep() throws IOException {
        Path f = write("a.csv", "timestamp,up,down\n0,1,10\n300,2,20\n600,3,30\n");
        List<Series> s = CsvSeriesLoader.load(f);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).name()).isEqualTo("up");
        assertThat(s.get(0).values()).containsExactly(1, 2, 3);
        assertThat(s.get(1).values()).containsExactly(10, 20, 30);
        assertThat(s.get(0).stepSec()).isEqualTo(300);
        assertThat(s.get(0).dailyPeriod()).isEqualTo(288);
    }

    @Test
    void shouldInterpolateGapsAndAverageDuplicatedTimestamps() throws IOException {
        Path f = write("g.csv", "t,v\n0,1\n60,3\n60,5\n120,5\n300,11\n");
        Series s = CsvSeriesLoader.load(f).get(0);
        assertThat(s.stepSec()).isEqualTo(60);
        assertThat(s.values()).containsExactly(1, 4, 5, 7, 9, 11);
        assertThat(s.filledPoints()).isEqualTo(2);
    }

    @Test
    void shouldIgnoreAQuotedDescriptiveHeaderAndATrailingEmptyColumn() throws IOException {
        Path f = write("isp.csv", "Time,\"Traffic, in bits\",\n2004-11-19 09:30:00,4838.6,\n2004-11-19 09:35:00,4845.1,\n");
        List<Series> s = CsvSeriesLoader.load(f);
        assertThat(s).hasSize(1);
        assertThat(s.get(0).name()).isEqualTo("Traffic, in bits");
        assertThat(s.get(0).startEpochSec()).isEqualTo(1100856600L);
    }

    @Test
    void shouldNameFileLineAndColumnOfABadNumber() throws IOException {
        Path f = write("bad.csv", "t,a,b\n0,1,2\n60,1,x2\n");
        assertThatThrownBy(() -> CsvSeriesLoader.load(f)).isInstanceOf(DataFormatException.class)
            .hasMessageContaining("bad.csv:3:3").hasMessageContaining("'x2'").hasMessageContaining("column 'b'");
    }

    @Test
    void shouldNameTheLineOfABadTimestampOrAShortRow() throws IOException {
        Path f = write("ts.csv", "t,a\n0,1\nyesterday,2\n");
        assertThatThrownBy(() -> CsvSeriesLoader.load(f)).hasMessageContaining("ts.csv:3:1").hasMessageContaining("yesterday");
        Path g = write("short.csv", "t,a,b\n0,1,2\n60,1\n");
        assertThatThrownBy(() -> CsvSeriesLoader.load(g)).hasMessageContaining("short.csv:3:3").hasMessageContaining("expected: 3");
    }

    @Test
    void shouldRefuseAFileWithoutHeader() throws IOException {
        Path f = write("nohdr.csv", "0,1\n60,2\n");
        assertThatThrownBy(() -> CsvSeriesLoader.load(f)).hasMessageContaining("nohdr.csv:1:1").hasMessageContaining("header");
    }

    @Test
    void shouldParseTheTimestampFormatsOfTheShippedTraces() {
        assertThat(Timestamps.parse("2005-01-01-00-30")).isEqualTo(1104539400L);
        assertThat(Timestamps.parse("1376314846")).isEqualTo(1376314846L);
        assertThat(Timestamps.parse("1376314846000")).isEqualTo(1376314846L);
        assertThat(Timestamps.parse("2005-01-01T00:30:00Z")).isEqualTo(1104539400L);
        assertThat(Timestamps.parse("nope")).isEqualTo(Long.MIN_VALUE);
    }
}
