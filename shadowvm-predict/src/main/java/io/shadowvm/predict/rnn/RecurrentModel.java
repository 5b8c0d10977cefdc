package io.shadowvm.predict.rnn;

/**
 * A trained network with what decoding needs: horizons, the per-horizon delta scales, whether it takes an
 * exogenous channel. Shared by every series' {@link RecurrentFitted}.
 */
public record RecurrentModel(RecurrentNet net, RnnConfig config, int[] horizons, double[] scale, boolean exogenous) {
    /**
     * Decodes a forward pass: {@code out[i*2H + k]} into forecast {@code last[i] + scale_k * out} and
     * probability {@code sigmoid(out[i*2H + H + k])}.
     */
    public void decode(float[] out, int batch, double[] last, double[][] forecast, double[][] probability, int offset) {
        int hk = horizons.length;
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < hk; k++) {
                forecast[k][offset + i] = last[i] + scale[k] * out[i * 2 * hk + k];
                if (probability != null) {
                    probability[k][offset + i] = 1 / (1 + Math.exp(-out[i * 2 * hk + hk + k]));
                }
            }
        }
    }
}
