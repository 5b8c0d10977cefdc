package io.shadowvm.predict.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    private static final int[] HS = {1, 3, 6, 12};

    private static FitContext ctx(double[] z, int dailyPeriod) {
        return new FitContext("syn", z, (int) (z.length * 0.70 / 0.85), HS, dailyPeriod, 0, 0, 0, 0.9, null);
    }

    @Test
    void shouldForecastAPureSineNearlyExactlyWithHoltWinters() {
        int m = 24;
        double[] z = new double[24 * 30];
        for (int i = 0; i < z.length; i++) {
            z[i] = 0.5 + 0.4 * Math.sin(2 * Math.PI * i / m);
        }
        FittedForecaster hw = new HoltWinters().fit(ctx(z, m));
        double[] mse = Validation.mse(hw, ctx(z, m));
        for (double e : mse) {
            assertThat(e).isLessThan(1e-8);
        }
    }

    @Test
    void shouldRecoverTheCoefficientsOfAnAr2Process() {
        Random r = new Random(42);
        double[] z = new double[20_000];
        for (int i = 2; i < z.length; i++) {
            z[i] = 0.1 + 0.6 * z[i - 1] - 0.3 * z[i - 2] + 0.05 * r.nextGaussian();
        }
        Autoregressive.Equation e = Autoregressive.fitEquation(z, z.length, 2, 0);
        assertThat(e.a()[0]).isCloseTo(0.6, within(0.02));
        assertThat(e.a()[1]).isCloseTo(-0.3, within(0.02));
        assertThat(e.c()).isCloseTo(0.1, within(0.01));
        // and validation picks an order that forecasts about as well as the true model
        FittedForecaster ar = new Autoregressive().fit(ctx(z, 0));
        double[] mse = Validation.mse(ar, ctx(z, 0));
        assertThat(mse[0]).isCloseTo(0.0025, within(0.0003));
    }

    @Test
    void shouldMinimizeRosenbrockWithNelderMead() {
        NelderMead.Result r = NelderMead.minimize(x -> 100 * Math.pow(x[1] - x[0] * x[0], 2) + Math.pow(1 - x[0], 2),
            new double[] {-1.2, 1}, 0.5, 1e-14, 20_000);
        assertThat(r.x()[0]).isCloseTo(1, within(1e-3));
        assertThat(r.x()[1]).isCloseTo(1, within(1e-3));
    }

    @Test
    void shouldForecastYesterdaysValueWithSeasonalNaive() {
        double[] z = new double[200];
        for (int i = 0; i < z.length; i++) {
            z[i] = i % 10;
        }
        OnlineState s = new SeasonalNaive().fit(ctx(z, 10)).start();
        for (int i = 0; i < 100; i++) {
            s.observe(z[i]);
        }
        double[] out = new double[HS.length];
        s.forecast(out);
        // newest is z[99] = 9; targets 100, 102, 105, 111 -> 0, 2, 5, 1
        assertThat(out).containsExactly(0, 2, 5, 1);
    }

    @Test
    void shouldChooseHeavySmoothingForEwmaOnNoiseAroundAConstant() {
        Random r = new Random(3);
        double[] z = new double[3000];
        for (int i = 0; i < z.length; i++) {
            z[i] = 0.5 + 0.1 * r.nextGaussian();
        }
        String d = new Ewma().fit(ctx(z, 0)).describe();
        double a1 = Double.parseDouble(d.substring("alpha=".length(), d.indexOf('/')));
        assertThat(a1).isLessThan(0.1);
    }

    @Test
    void shouldGiveCalibratedProbabilitiesFromValidationErrors() {
        Random r = new Random(5);
        int n = 4000;
        double[][] f = new double[1][n];
        double[][] a = new double[1][n];
        for (int i = 0; i < n; i++) {
            f[0][i] = r.nextDouble();
            a[0][i] = f[0][i] + 0.1 * r.nextGaussian();
        }
        CongestionCalibrator c = CongestionCalibrator.fit(f, a, 0.8);
        // P(f + N(0, 0.1) > 0.8): at f = 0.8 it is 1/2, at f = 0.9 about 0.84
        assertThat(c.probability(0, 0.8)).isCloseTo(0.5, within(0.05));
        assertThat(c.probability(0, 0.9)).isCloseTo(0.841, within(0.05));
        assertThat(c.probability(0, 0.3)).isLessThan(0.01);
    }
}
