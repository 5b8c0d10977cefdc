package io.shadowvm.predict.model;

/** Ordinary least squares through the normal equations, solved by Cholesky with a tiny ridge for stability. */
public final class LeastSquares {
    private LeastSquares() {
    }

    /** Accumulates {@code X'X} and {@code X'y} row by row. */
    public static final class Accumulator {
        private final int k;
        private final double[] xtx;
        private final double[] xty;
        private long rows;

        public Accumulator(int k) {
            this.k = k;
            this.xtx = new double[k * k];
            this.xty = new double[k];
        }

        public void add(double[] x, double y) {
            for (int i = 0; i < k; i++) {
                double xi = x[i];
                xty[i] += xi * y;
                for (int j = 0; j <= i; j++) {
                    xtx[i * k + j] += xi * x[j];
                }
            }
            rows++;
        }

        public long rows() {
            return rows;
        }

        /** The coefficients; throws {@link IllegalStateException} with fewer rows than unknowns. */
        public double[] solve() {
            if (rows < k) {
                throw new IllegalStateException("least squares: " + rows + " rows (expected: at least " + k + ")");
            }
            double[] a = new double[k * k];
            double trace = 0;
            for (int i = 0; i < k; i++) {
                trace += xtx[i * k + i];
            }
            double ridge = 1e-10 * (trace / k) + 1e-300;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i * k + j] = xtx[i * k + j];
                    a[j * k + i] = xtx[i * k + j];
                }
                a[i * k + i] += ridge;
            }
            double[] l = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = a[i * k + j];
                    for (int p = 0; p < j; p++) {
                        s -= l[i * k + p] * l[j * k + p];
                    }
                    if (i == j) {
                        l[i * k + i] = Math.sqrt(Math.max(s, 1e-300));
                    } else {
                        l[i * k + j] = s / l[j * k + j];
                    }
                }
            }
            double[] yv = new double[k];
            for (int i = 0; i < k; i++) {
                double s = xty[i];
                for (int p = 0; p < i; p++) {
                    s -= l[i * k + p] * yv[p];
                }
                yv[i] = s / l[i * k + i];
            }
            double[] b = new double[k];
            for (int i = k - 1; i >= 0; i--) {
                double s = yv[i];
                for (int p = i + 1; p < k; p++) {
                    s -= l[p * k + i] * b[p];
                }
                b[i] = s / l[i * k + i];
            }
            return b;
        }
    }
}
