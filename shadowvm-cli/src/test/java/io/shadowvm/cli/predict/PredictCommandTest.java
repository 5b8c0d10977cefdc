package io.shadowvm.cli.predict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.cli.ShadowVm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ShadowVm.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path sineCsv() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,link\n");
        for (int i = 0; i < 600; i++) {
            sb.append(i * 300L).append(',').append(50 + 20 * Math.sin(2 * Math.PI * i / 288.0) + (i * 7919 % 13) / 13.0).append('\n');
        }
        Path f = dir.resolve("link.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void shouldPrintAJsonListWithExactlyTheDocumentedKeys() throws IOException {
        Run r = run("predict", "evaluate", "--data", sineCsv().toString(), "--models", "persistence,ar", "--horizon", "1,3", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode arr = new ObjectMapper().readTree(r.out());
        assertThat(arr.size()).isEqualTo(4);
        List<String> keys = new ArrayList<>();
        arr.get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("model", "horizon", "mae", "rmse", "mse", "precision", "recall", "f1", "leadTimeSteps", "brier");
        assertThat(arr.get(0).get("model").asText()).isEqualTo("persistence");
    }

    @Test
    void shouldNameFileLineAndColumnOfABadRowAndExitOne() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "t,v\n0,1\n300,oops\n");
        Run r = run("predict", "evaluate", "--data", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("bad.csv:3:2").doesNotContain("Exception");
    }

    @Test
    void shouldRefuseAnUnknownModelAsAUsageError() throws IOException {
        Run r = run("predict", "evaluate", "--data", sineCsv().toString(), "--models", "prophet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown model 'prophet'");
    }

    @Test
    void shouldScoreACsvWithTheShippedModelAgainstBaselinesAtTheControllersThreshold() throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        for (String f : List.of("manifest.json", "rnn-0000.params")) {
            try (var in = PredictCommandTest.class.getResourceAsStream("/io/shadowvm/predict/shipped/gru-stepfree-w12/" + f)) {
                Files.copy(in, model.resolve(f));
            }
        }
        StringBuilder sb = new StringBuilder("timestamp,utilization\n");
        for (int i = 0; i < 400; i++) {
            sb.append(1_700_000_000L + i).append(',').append(0.5 + 0.45 * Math.sin(2 * Math.PI * i / 60.0)).append('\n');
        }
        Path csv = dir.resolve("u.csv");
        Files.writeString(csv, sb.toString());
        Run r = run("predict", "transfer", "--model", model.toString(), "--data", csv.toString(), "--baselines", "persistence",
            "--threshold-raw", "0.8");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("threshold 0.8 (raw units)", "gru-shipped", "gru-valcal", "crossing within h");
    }

    @Test
    void shouldRefuseLeaveOneOutOverASingleDatasetAndAShortRecording() {
        Run r = run("predict", "transfer", "--data", "isp-uk-5m");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--data: 1 dataset (expected: at least 2");
        Run rec = run("predict", "record-uplink", "--out", dir.resolve("x.csv").toString(), "--seconds", "5");
        assertThat(rec.code()).isEqualTo(2);
        assertThat(rec.err()).contains("--seconds: 5 (expected: 60-86400)");
    }
}
