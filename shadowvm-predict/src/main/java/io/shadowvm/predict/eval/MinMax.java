package io.shadowvm.predict.eval;

/**
 * Min-max normalization {@code z = (x - min) / (max - min)} with min and max of the training part only.
 * A constant training part gets range 1 (so z = x - min) instead of a division by zero.
 */
public record MinMax(double min, double max) {
    public static MinMax fit(double[] x, int nTrain) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < nTrain; i++) {
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        return new MinMax(lo, hi);
    }

    public double range() {
        double r = max - min;
        return r > 0 ? r : 1;
    }

    public boolean degenerate() {
        return !(max > min);
    }

    public double apply(double x) {
        return (x - min) / range();
    }

    public double invert(double z) {
        return z * range() + min;
    }

    public double[] apply(double[] x) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = apply(x[i]);
        }
        return z;
    }
}
