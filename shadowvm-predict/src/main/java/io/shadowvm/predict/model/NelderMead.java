package io.shadowvm.predict.model;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Nelder-Mead simplex minimisation with restarts: after convergence the simplex is rebuilt around the best
 * point and the search runs again, until a restart no longer improves the value by more than {@code ftol}
 * (relative) or the evaluation budget is spent. Deterministic.
 */
public final class NelderMead {
    /** The result: the best point, its value, evaluations used, and whether the last run converged. */
    public record Result(double[] x, double value, int evaluations, boolean converged) {
    }

    private NelderMead() {
    }

    public static Result minimize(ToDoubleFunction<double[]> f, double[] start, double initialStep, double ftol, int maxEvals) {
        double[] best = start.clone();
        double bestF = f.applyAsDouble(best);
        int evals = 1;
        boolean converged = false;
        for (int restart = 0; restart < 10 && evals < maxEvals; restart++) {
            Result r = run(f, best, initialStep, ftol, maxEvals - evals);
            evals += r.evaluations();
            converged = r.converged();
            boolean improved = r.value() < bestF - ftol * (Math.abs(bestF) + 1e-300);
            if (r.value() < bestF) {
                bestF = r.value();
                best = r.x();
            }
            if (!improved && restart > 0) {
                break;
            }
        }
        return new Result(best, bestF, evals, converged);
    }

    private static Result run(ToDoubleFunction<double[]> f, double[] start, double step, double ftol, int maxEvals) {
        int n = start.length;
        double[][] p = new double[n + 1][];
        double[] fv = new double[n + 1];
        p[0] = start.clone();
        fv[0] = f.applyAsDouble(p[0]);
        int evals = 1;
        for (int i = 0; i < n; i++) {
            p[i + 1] = start.clone();
            p[i + 1][i] += step;
            fv[i + 1] = f.applyAsDouble(p[i + 1]);
            evals++;
        }
        Integer[] idx = new Integer[n + 1];
        double[] centroid = new double[n];
        boolean converged = false;
        while (evals < maxEvals) {
            for (int i = 0; i <= n; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> Double.compare(fv[a], fv[b]));
            double[][] ps = new double[n + 1][];
            double[] fs = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                ps[i] = p[idx[i]];
                fs[i] = fv[idx[i]];
            }
            System.arraycopy(ps, 0, p, 0, n + 1);
            System.arraycopy(fs, 0, fv, 0, n + 1);
            if (Math.abs(fv[n] - fv[0]) <= ftol * (Math.abs(fv[0]) + Math.abs(fv[n])) + 1e-30) {
                converged = true;
                break;
            }
            Arrays.fill(centroid, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    centroid[j] += p[i][j] / n;
                }
            }
            double[] xr = move(centroid, p[n], -1.0);
            double fr = f.applyAsDouble(xr);
            evals++;
            if (fr < fv[0]) {
                double[] xe = move(centroid, p[n], -2.0);
                double fe = f.applyAsDouble(xe);
                evals++;
                if (fe < fr) {
                    p[n] = xe;
                    fv[n] = fe;
                } else {
                    p[n] = xr;
                    fv[n] = fr;
                }
            } else if (fr < fv[n - 1]) {
                p[n] = xr;
                fv[n] = fr;
            } else {
                boolean outside = fr < fv[n];
                double[] xc = move(centroid, p[n], outside ? -0.5 : 0.5);
                double fc = f.applyAsDouble(xc);
                evals++;
                if (fc < (outside ? fr : fv[n])) {
                    p[n] = xc;
                    fv[n] = fc;
                } else {
                    for (int i = 1; i <= n; i++) {
                        for (int j = 0; j < n; j++) {
                            p[i][j] = p[0][j] + 0.5 * (p[i][j] - p[0][j]);
                        }
                        fv[i] = f.applyAsDouble(p[i]);
                        evals++;
                    }
                }
            }
        }
        int b = 0;
        for (int i = 1; i <= n; i++) {
            if (fv[i] < fv[b]) {
                b = i;
            }
        }
        return new Result(p[b].clone(), fv[b], evals, converged);
    }

    /** centroid + coef * (worst - centroid). */
    private static double[] move(double[] centroid, double[] worst, double coef) {
        double[] x = new double[centroid.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = centroid[j] + coef * (worst[j] - centroid[j]);
        }
        return x;
    }
}
