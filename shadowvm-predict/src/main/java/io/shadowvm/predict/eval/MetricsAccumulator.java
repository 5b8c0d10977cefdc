package io.shadowvm.predict.eval;

/**
 * Pools the test-target scores of one model and horizon over many series.
 *
 * <p>Events and lead time: an event is a maximal run of consecutive test targets above the threshold. Its
 * lead time is {@code tau0 - t_first}, where {@code tau0} is the event's first target and {@code t_first =
 * tau - h} the earliest origin whose alarm targets a point of the run; it is {@code h} when the event's
 * first point was predicted, smaller (even negative) when the first alarm came late. Events with no alarm
 * count as missed and do not enter the mean.
 */
public final class MetricsAccumulator {
    private final String model;
    private final int horizon;
    private double sumAbs;
    private double sumSq;
    private double sumBrier;
    private long n;
    private long tp;
    private long fp;
    private long fn;
    private long pos;
    private int events;
    private int detected;
    private double leadSum;

    public MetricsAccumulator(String model, int horizon) {
        this.model = model;
        this.horizon = horizon;
    }

    /**
     * Adds one series' test targets: {@code actual[i]}, {@code forecast[i]}, {@code prob[i]} for target
     * {@code testStart + i}; alarms are {@code prob > cut}.
     */
    public void addSeries(double[] actual, double[] forecast, double[] prob, double threshold, double cut) {
        int m = actual.length;
        int runStart = -1;
        int firstAlarm = -1;
        for (int i = 0; i < m; i++) {
            double e = actual[i] - forecast[i];
            sumAbs += Math.abs(e);
            sumSq += e * e;
            boolean y = actual[i] > threshold;
            boolean alarm = prob[i] > cut;
            double b = prob[i] - (y ? 1 : 0);
            sumBrier += b * b;
            n++;
            if (y) {
                pos++;
            }
            if (alarm && y) {
                tp++;
            } else if (alarm) {
                fp++;
            } else if (y) {
                fn++;
            }
            if (y) {
                if (runStart < 0) {
                    runStart = i;
                    firstAlarm = -1;
                    events++;
                }
                if (alarm && firstAlarm < 0) {
                    firstAlarm = i;
                }
            }
            if (runStart >= 0 && (!y || i == m - 1)) {
                if (firstAlarm >= 0) {
                    detected++;
                    // origin of the first alarm = firstAlarm - horizon; lead = runStart - origin
                    leadSum += runStart - (firstAlarm - horizon);
                }
                runStart = -1;
            }
        }
    }

    public HorizonMetrics result() {
        double mse = n == 0 ? Double.NaN : sumSq / n;
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new HorizonMetrics(model, horizon, n == 0 ? Double.NaN : sumAbs / n, Math.sqrt(mse), mse, precision,
            recall, f1, events, detected == 0 ? Double.NaN : leadSum / detected, n == 0 ? Double.NaN : sumBrier / n, n, pos);
    }
}
