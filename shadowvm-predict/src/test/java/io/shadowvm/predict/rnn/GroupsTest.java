package io.shadowvm.predict.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.predict.model.FitContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupsTest {
    private static FitContext ctx(String name) {
        return new FitContext(name, new double[] {0, 1, 0, 1}, 2, new int[] {1}, 0, 0, -1, 0, 0.5, null);
    }

    @Test
    void everyDatasetGivesTheSameNumberOfWindowsPerEpochWhateverItsSize() {
        List<FitContext> series = List.of(ctx("big/a"), ctx("big/b"), ctx("small/c"));
        List<long[]> windows = new ArrayList<>();
        for (int t = 0; t < 900; t++) {
            windows.add(new long[] {t % 2, t});
        }
        for (int t = 0; t < 100; t++) {
            windows.add(new long[] {2, t});
        }
        List<List<long[]>> groups = Groups.split(series, windows);
        assertThat(groups).hasSize(2);
        List<long[]> epoch = Groups.draw(groups, 200, new Random(1));
        assertThat(epoch).hasSize(200);
        assertThat(epoch.stream().filter(w -> w[0] == 2).count()).isEqualTo(100);
    }

    @Test
    void aCrossingWithinTheHorizonIsTheLargestValueAheadOfTheOrigin() {
        double[] z = {0.1, 0.2, 0.9, 0.3, 0.1};
        assertThat(RecurrentForecaster.maxAhead(z, 0, 1)).isEqualTo(0.2);
        assertThat(RecurrentForecaster.maxAhead(z, 0, 3)).isEqualTo(0.9);
        assertThat(RecurrentForecaster.maxAhead(z, 2, 2)).isEqualTo(0.3);
    }
}
