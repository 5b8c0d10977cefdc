package io.shadowvm.predict.model;

import java.util.Arrays;

/**
 * Turns a point forecast into a congestion probability with the forecast-error distribution measured on
 * validation data: {@code P(z[t+h] > thr) = P(f + e > thr)} where {@code e} is drawn from the validation
 * residuals of horizon h. The empirical CDF is smoothed by a Gaussian kernel (Silverman bandwidth), so the
 * probability moves continuously with the forecast. Without residuals it is 0/1 on {@code f > thr}.
 */
public final class ResidualCalibrator {
    private final double[][] sorted;
    private final double[] bandwidth;

    /** {@code residuals[k]} are the validation errors {@code actual - forecast} of horizon index k. */
    public ResidualCalibrator(double[][] residuals) {
        sorted = new double[residuals.length][];
        bandwidth = new double[residuals.length];
        for (int k = 0; k < residuals.length; k++) {
            double[] r = residuals[k].clone();
            Arrays.sort(r);
            // keep at most 512 evenly spaced order statistics: enough for a smooth CDF, cheap per call
            if (r.length > 512) {
                double[] q = new double[512];
                for (int i = 0; i < 512; i++) {
                    q[i] = r[(int) ((i + 0.5) * r.length / 512)];
                }
                bandwidth[k] = silverman(r);
                r = q;
            } else {
                bandwidth[k] = silverman(r);
            }
            sorted[k] = r;
        }
    }

    private static double silverman(double[] sortedR) {
        int n = sortedR.length;
        if (n < 2) {
            return 0;
        }
        double mean = 0;
        for (double v : sortedR) {
            mean += v / n;
        }
        double var = 0;
        for (double v : sortedR) {
            var += (v - mean) * (v - mean) / (n - 1);
        }
        double iqr = sortedR[(int) (0.75 * (n - 1))] - sortedR[(int) (0.25 * (n - 1))];
        double s = Math.min(Math.sqrt(var), iqr / 1.34);
        if (!(s > 0)) {
            s = Math.sqrt(var);
        }
        return 0.9 * s * Math.pow(n, -0.2);
    }

    public int horizons() {
        return sorted.length;
    }

    /** {@code P(forecast + e > threshold)} for horizon index {@code k}. */
    public double probability(int k, double forecast, double threshold) {
        double[] r = sorted[k];
        double need = threshold - forecast;
        if (r.length == 0) {
            return forecast > threshold ? 1 : 0;
        }
        double h = bandwidth[k];
        if (!(h > 0)) {
            int idx = upperBound(r, need);
            return (double) (r.length - idx) / r.length;
        }
        // only residuals within 5 bandwidths of the cut contribute a fraction; the rest are 0 or 1
        int lo = upperBound(r, need - 5 * h);
        int hi = upperBound(r, need + 5 * h);
        double p = r.length - hi;
        for (int i = lo; i < hi; i++) {
            p += 1 - normalCdf((need - r[i]) / h);
        }
        return p / r.length;
    }

    private static int upperBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Standard normal CDF (Zelen and Severo 26.2.17, abs error below 7.5e-8). */
    public static double normalCdf(double x) {
        double t = 1 / (1 + 0.2316419 * Math.abs(x));
        double d = 0.3989422804014327 * Math.exp(-x * x / 2);
        double p = d * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        return x >= 0 ? 1 - p : p;
    }

    /** The sorted residual sample per horizon (for artifacts). */
    public double[][] residuals() {
        double[][] out = new double[sorted.length][];
        for (int k = 0; k < sorted.length; k++) {
            out[k] = sorted[k].clone();
        }
        return out;
    }
}
