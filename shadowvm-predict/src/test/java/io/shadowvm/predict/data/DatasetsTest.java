package io.shadowvm.predict.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The shipped traces under the repository's data/ load with the shapes data/README.md promises. */
class DatasetsTest {
    private static final Path DATA = Paths.get("..", "data");

    @Test
    void shouldLoadTheIspSeriesAsOneFiveMinuteSeries() {
        Dataset d = Datasets.load("isp-uk-5m", DATA);
        Series s = d.series().get(0);
        assertThat(s.length()).isEqualTo(19_888);
        assertThat(s.stepSec()).isEqualTo(300);
        assertThat(s.dailyPeriod()).isEqualTo(288);
        assertThat(s.filledPoints()).isZero();
    }

    @Test
    void shouldDeriveGeantLinkUtilizationAndFlows() {
        Dataset links = Datasets.load("geant-links", DATA);
        assertThat(links.series()).hasSize(72);
        assertThat(links.series().get(0).length()).isEqualTo(677);
        Dataset flows = Datasets.load("geant-flows", DATA);
        assertThat(flows.series()).hasSize(23 * 22);
        assertThat(flows.series().get(0).length()).isEqualTo(309);
        assertThat(flows.series().get(0).stepSec()).isEqualTo(900);
    }

    @Test
    void shouldLoadPodLinksAndBitbrainsOnAFiveMinuteGrid() {
        Dataset pods = Datasets.load("dc-pods", DATA);
        assertThat(pods.series()).hasSize(12);
        assertThat(pods.series().get(0).length()).isEqualTo(10_000);
        Dataset bb = Datasets.load("bitbrains", DATA);
        assertThat(bb.series()).extracting(Series::name).containsExactly("vm_1_rx", "vm_1_tx", "vm_2_rx", "vm_2_tx");
        assertThat(bb.series()).allSatisfy(s -> assertThat(s.stepSec()).isEqualTo(300));
    }

    @Test
    void shouldNameTheKnownDatasetsForAnUnknownName() {
        assertThatThrownBy(() -> Datasets.load("no-such-thing", DATA)).hasMessageContaining("isp-uk-5m, geant-flows");
    }
}
