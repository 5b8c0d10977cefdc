package io.shadowvm.cli.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowvm.predict.eval.HorizonMetrics;
import java.util.List;
import java.util.Locale;

/** Formats evaluation rows as a text table, a Markdown table, or the JSON list of the issue. */
final class Tables {
    private Tables() {
    }

    static String text(List<HorizonMetrics> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-15s %3s %8s %8s %10s %9s %7s %6s %6s %7s %8s%n", "model", "h", "mae", "rmse",
            "mse", "precision", "recall", "f1", "events", "lead", "brier"));
        for (HorizonMetrics m : rows) {
            sb.append(String.format(Locale.ROOT, "%-15s %3d %8.4f %8.4f %10.3e %9.3f %7.3f %6.3f %6d %7s %8.4f%n", m.model(),
                m.horizon(), m.mae(), m.rmse(), m.mse(), m.precision(), m.recall(), m.f1(), m.events(), lead(m), m.brier()));
        }
        return sb.toString();
    }

    static String lead(HorizonMetrics m) {
        return Double.isNaN(m.leadTimeSteps()) ? "-" : String.format(Locale.ROOT, "%.2f", m.leadTimeSteps());
    }

    static String json(List<HorizonMetrics> rows) {
        ObjectMapper om = new ObjectMapper();
        ArrayNode arr = om.createArrayNode();
        for (HorizonMetrics m : rows) {
            ObjectNode o = arr.addObject();
            o.put("model", m.model());
            o.put("horizon", m.horizon());
            num(o, "mae", m.mae());
            num(o, "rmse", m.rmse());
            num(o, "mse", m.mse());
            num(o, "precision", m.precision());
            num(o, "recall", m.recall());
            num(o, "f1", m.f1());
            num(o, "leadTimeSteps", m.leadTimeSteps());
            num(o, "brier", m.brier());
        }
        try {
            return om.writerWithDefaultPrettyPrinter().writeValueAsString(arr);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
