package io.shadowvm.predict.model;

/**
 * The congestion score of any point forecaster: {@code P(z[t+h] > thr)}. Two steps, both fitted on
 * validation targets only:
 * <ol>
 * <li>the forecast-error distribution ({@link ResidualCalibrator}): {@code p0 = P(f + e > thr)};</li>
 * <li>Platt scaling of {@code logit(p0)}: {@code p = sigmoid(a logit(p0) + b)}, fitted by Newton's method on the
 * validation exceedances with a Gaussian prior pulling {@code (a, b)} to {@code (1, 0)} (so a validation part
 * with few events leaves p0 almost unchanged). It corrects errors that are not independent of the level
 * (e.g. mostly-zero series where the threshold sits at zero).</li>
 * </ol>
 */
public final class CongestionCalibrator {
    private static final double PRIOR = 1.0;
    private static final double EPS = 1e-4;

    private final ResidualCalibrator residual;
    private final double threshold;
    private final double[] a;
    private final double[] b;

    /** {@code forecast[k][i]}, {@code actual[k][i]}: validation pairs of horizon index k. */
    public static CongestionCalibrator fit(double[][] forecast, double[][] actual, double threshold) {
        int hk = forecast.length;
        double[][] resid = new double[hk][];
        for (int k = 0; k < hk; k++) {
            resid[k] = new double[forecast[k].length];
            for (int i = 0; i < resid[k].length; i++) {
                resid[k][i] = actual[k][i] - forecast[k][i];
            }
        }
        ResidualCalibrator rc = new ResidualCalibrator(resid);
        double[] a = new double[hk];
        double[] b = new double[hk];
        for (int k = 0; k < hk; k++) {
            int n = forecast[k].length;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = logit(rc.probability(k, forecast[k][i], threshold));
                y[i] = actual[k][i] > threshold ? 1 : 0;
            }
            double[] ab = platt(x, y);
            a[k] = ab[0];
            b[k] = ab[1];
        }
        return new CongestionCalibrator(rc, threshold, a, b);
    }

    public CongestionCalibrator(ResidualCalibrator residual, double threshold, double[] a, double[] b) {
        this.residual = residual;
        this.threshold = threshold;
        this.a = a.clone();
        this.b = b.clone();
    }

    /** Newton's method for the MAP logistic fit of y on x with prior N((1,0), 1/PRIOR). */
    static double[] platt(double[] x, double[] y) {
        double pa = 1;
        double pb = 0;
        for (int iter = 0; iter < 50; iter++) {
            double ga = PRIOR * (pa - 1);
            double gb = PRIOR * pb;
            double haa = PRIOR;
            double hab = 0;
            double hbb = PRIOR;
            for (int i = 0; i < x.length; i++) {
                double p = sigmoid(pa * x[i] + pb);
                double r = p - y[i];
                double w = Math.max(p * (1 - p), 1e-12);
                ga += r * x[i];
                gb += r;
                haa += w * x[i] * x[i];
                hab += w * x[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            pa -= da;
            pb -= db;
            if (Math.abs(da) + Math.abs(db) < 1e-9) {
                break;
            }
        }
        return new double[] {pa, pb};
    }

    /** Platt scaling of a model's own probability on validation pairs: returns {@code (a, b)}. */
    public static double[] plattFit(double[] rawProbability, double[] actual, double threshold) {
        double[] x = new double[rawProbability.length];
        double[] y = new double[rawProbability.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = logit(rawProbability[i]);
            y[i] = actual[i] > threshold ? 1 : 0;
        }
        return platt(x, y);
    }

    public static double plattApply(double[] ab, double rawProbability) {
        return sigmoid(ab[0] * logit(rawProbability) + ab[1]);
    }

    public double threshold() {
        return threshold;
    }

    /** The calibrated {@code P(z[t+h] > thr)} for horizon index {@code k} given the point forecast. */
    public double probability(int k, double forecast) {
        double p0 = residual.probability(k, forecast, threshold);
        return sigmoid(a[k] * logit(p0) + b[k]);
    }

    public ResidualCalibrator residual() {
        return residual;
    }

    public double[] plattA() {
        return a.clone();
    }

    public double[] plattB() {
        return b.clone();
    }

    static double logit(double p) {
        double q = Math.min(1 - EPS, Math.max(EPS, p));
        return Math.log(q / (1 - q));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
