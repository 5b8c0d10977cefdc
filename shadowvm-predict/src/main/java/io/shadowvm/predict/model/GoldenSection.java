package io.shadowvm.predict.model;

import java.util.function.DoubleUnaryOperator;

/** Golden-section search for a minimum on an interval; returns the best point seen (including a seed). */
final class GoldenSection {
    private static final double INV_PHI = (Math.sqrt(5) - 1) / 2;

    private GoldenSection() {
    }

    static double minimize(DoubleUnaryOperator f, double lo, double hi, double tol, double seedX, double seedF) {
        double bestX = seedX;
        double bestF = seedF;
        double a = lo;
        double b = hi;
        double c = b - INV_PHI * (b - a);
        double d = a + INV_PHI * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (b - a > tol) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - INV_PHI * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + INV_PHI * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        if (fc < bestF) {
            bestF = fc;
            bestX = c;
        }
        if (fd < bestF) {
            bestX = d;
        }
        return bestX;
    }
}
