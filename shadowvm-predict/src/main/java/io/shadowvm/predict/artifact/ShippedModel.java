package io.shadowvm.predict.artifact;

import io.shadowvm.predict.PredictException;
import io.shadowvm.predict.rnn.RecurrentNet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The model the controller scores with by default: {@code data/model/}{@value #NAME}{@code /} in the repository,
 * packed into this module's jar under {@value #RESOURCE_DIR}. A step-free GRU (manifest {@code stepSec 0}: no
 * clock, no daily period), so it applies at the controller's 1 s tick; see its README and docs/prediction.md
 * for how it was trained and how it does on traces it never saw. Loading needs no network and no repository
 * checkout: the two files are copied from the classpath into a temporary directory that is deleted again.
 */
public final class ShippedModel {
    /** Folder name under {@code data/model/} and under {@link #RESOURCE_DIR}. */
    public static final String NAME = "gru-stepfree-w12";
    public static final String RESOURCE_DIR = "/io/shadowvm/predict/shipped/" + NAME + "/";
    private static final List<String> FILES = List.of(ModelArtifact.MANIFEST, RecurrentNet.PARAMS_NAME + "-0000.params");

    private ShippedModel() {
    }

    /** A short name for logs: {@code classpath:gru-stepfree-w12}. */
    public static String describe() {
        return "classpath:" + NAME;
    }

    /** The manifest only (no engine): enough for the baseline fallback. */
    public static ModelManifest manifest() {
        return withCopy(ModelArtifact::readManifest);
    }

    /** The network and its manifest; {@link io.shadowvm.predict.rnn.EngineUnavailableException} when PyTorch cannot load. */
    public static ModelArtifact load() {
        return withCopy(ModelArtifact::load);
    }

    private static <T> T withCopy(java.util.function.Function<Path, T> loader) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("shadowvm-model-");
            for (String f : FILES) {
                try (InputStream in = ShippedModel.class.getResourceAsStream(RESOURCE_DIR + f)) {
                    if (in == null) {
                        throw new ArtifactMismatchException("shipped model " + NAME + ": " + f + " not on the classpath (expected "
                            + RESOURCE_DIR + f + " in the shadowvm-predict jar)");
                    }
                    Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return loader.apply(dir);
        } catch (IOException e) {
            throw new PredictException("shipped model " + NAME + ": cannot copy to a temporary directory: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                for (String f : FILES) {
                    dir.resolve(f).toFile().delete();
                }
                dir.toFile().delete();
            }
        }
    }
}
