package io.shadowvm.predict.rnn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.shadowvm.predict.PredictException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The network: a one-layer GRU or LSTM over the window, its last hidden state into a linear layer with
 * {@code 2 * horizons} outputs: scaled forecast deltas {@code (z[t+h] - z[t]) / scale_h}, then exceedance
 * logits. Inference is a plain forward pass through a {@link ParameterStore}; no translator, no allocation
 * beyond the batch's NDArrays, which a sub-manager frees after every call.
 */
public final class RecurrentNet implements AutoCloseable {
    public static final String PARAMS_NAME = "rnn";

    private final RecurrentKind kind;
    private final int window;
    private final int channels;
    private final int hidden;
    private final int horizons;
    private final Model model;
    private final Block block;

    public RecurrentNet(RecurrentKind kind, int window, int channels, int hidden, int horizons, long seed) {
        DjlRuntime.engine();
        this.kind = kind;
        this.window = window;
        this.channels = channels;
        this.hidden = hidden;
        this.horizons = horizons;
        this.model = Model.newInstance(kind.modelName(), Device.cpu(), DjlRuntime.ENGINE);
        SequentialBlock b = new SequentialBlock();
        if (kind == RecurrentKind.GRU) {
            b.add(GRU.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).optReturnState(false).build());
        } else {
            b.add(LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).optReturnState(false).build());
        }
        b.add(new LambdaBlock(list -> new NDList(list.head().get(":, -1, :")), "last-step"));
        b.add(Linear.builder().setUnits(2L * horizons).build());
        this.block = b;
        model.setBlock(block);
    }

    /** Input shape of a batch. */
    public Shape inputShape(int batch) {
        return new Shape(batch, window, channels);
    }

    /** Initializes the weights for inference or loading (training lets the trainer initialize them). */
    public void initializeForInference() {
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(1));
    }

    public Model model() {
        return model;
    }

    public Block block() {
        return block;
    }

    public int window() {
        return window;
    }

    public int channels() {
        return channels;
    }

    public int hidden() {
        return hidden;
    }

    public int horizons() {
        return horizons;
    }

    public RecurrentKind kind() {
        return kind;
    }

    /** Forward pass of {@code batch} windows laid out {@code [batch][window][channels]}; returns {@code [batch][2H]}. */
    public float[] infer(float[] input, int batch) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray x = m.create(input, new Shape(batch, window, channels));
            NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), false).head();
            return y.toFloatArray();
        }
    }

    /** Snapshot of all parameter values (for keeping the best epoch). */
    public List<float[]> snapshot() {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    public void restore(List<float[]> values) {
        int i = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().set(values.get(i++));
        }
    }

    public void save(Path dir) {
        try {
            model.save(dir, PARAMS_NAME);
        } catch (IOException e) {
            throw new PredictException("cannot save model weights to " + dir + ": " + e.getMessage(), e);
        }
    }

    public void load(Path dir) {
        try {
            model.load(dir, PARAMS_NAME);
        } catch (IOException | MalformedModelException e) {
            throw new PredictException("cannot load model weights from " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
