package io.shadowvm.predict.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixTracesTest {
    @TempDir
    Path dir;

    @Test
    void shouldRouteEveryDemandOnItsShortestPathAndDivideByCapacity() throws IOException {
        // a line 0 -> 1 -> 2 plus a slow direct 0 -> 2, and the reverse links
        Path topo = dir.resolve("t.json");
        Files.writeString(topo, "{\"nodes\":[{\"id\":0},{\"id\":1},{\"id\":2}],\"links\":["
            + "{\"capacity\":10,\"source\":0,\"target\":1},{\"capacity\":10,\"source\":1,\"target\":2},"
            + "{\"capacity\":5,\"source\":0,\"target\":2},{\"capacity\":10,\"source\":1,\"target\":0},"
            + "{\"capacity\":10,\"source\":2,\"target\":1}]}");
        Path tm = dir.resolve("m.hist");
        // demand 0->1 = 2, 0->2 = 5 (direct link, one hop), 2->0 = 4 (via 1)
        Files.writeString(tm, "0 2 5 0 0 0 4 0 0\n0 0 0 0 0 0 0 0 0\n");
        MatrixTraces.Topology t = MatrixTraces.readTopology(topo);
        List<Series> util = MatrixTraces.linkUtilization(t, MatrixTraces.readMatrices(tm, 3), 900);
        assertThat(util).extracting(Series::name).containsExactly("u_0_1", "u_1_2", "u_0_2", "u_1_0", "u_2_1");
        assertThat(util.get(0).values()).containsExactly(0.2, 0.0);
        assertThat(util.get(2).values()).containsExactly(1.0, 0.0);
        assertThat(util.get(3).values()).containsExactly(0.4, 0.0);
        assertThat(util.get(4).values()).containsExactly(0.4, 0.0);
    }

    @Test
    void shouldNameTheLineOfAMatrixWithTheWrongSize() throws IOException {
        Path tm = dir.resolve("bad.hist");
        Files.writeString(tm, "1 2 3 4\n1 2 3\n");
        assertThatThrownBy(() -> MatrixTraces.readMatrices(tm, 2)).hasMessageContaining("bad.hist:2:4")
            .hasMessageContaining("expected: 4 = 2x2");
    }
}
