package io.shadowvm.predict.model;

import io.shadowvm.predict.PredictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The baselines by command-line name. The recurrent models live in {@code rnn} and register there. */
public final class Models {
    public static final Map<String, Supplier<Forecaster>> BASELINES = Map.of(
        "persistence", Persistence::new,
        "seasonal-naive", SeasonalNaive::new,
        "ewma", Ewma::new,
        "holt-winters", HoltWinters::new,
        "ar", Autoregressive::new);

    public static final List<String> BASELINE_ORDER = List.of("persistence", "seasonal-naive", "ewma", "holt-winters", "ar");

    private Models() {
    }

    /** Parses a comma list of baseline names; unknown names are refused with the list of known ones. */
    public static List<Forecaster> baselines(String csv) {
        List<Forecaster> out = new ArrayList<>();
        for (String raw : csv.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            Supplier<Forecaster> s = BASELINES.get(name);
            if (s == null) {
                throw new PredictException("unknown model '" + raw.trim() + "' (expected one of " + BASELINE_ORDER + ")");
            }
            out.add(s.get());
        }
        return out;
    }
}
