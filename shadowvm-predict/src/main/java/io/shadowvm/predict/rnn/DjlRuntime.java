package io.shadowvm.predict.rnn;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine without network access. {@code ai.djl.offline=true} makes any download attempt
 * fail; the native libraries are extracted from the jars on the classpath ({@code pytorch-native-cpu}
 * linux-x86_64 for libtorch, {@code pytorch-jni} for libdjl_torch) into DJL's cache directory.
 */
public final class DjlRuntime {
    public static final String ENGINE = "PyTorch";
    /** DJL's property for PyTorch intra-op threads. */
    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private static volatile Engine engine;

    private DjlRuntime() {
    }

    /** The PyTorch engine, loaded once; an {@link EngineUnavailableException} explains a failure to load it. */
    public static Engine engine() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (DjlRuntime.class) {
            if (engine == null) {
                if (System.getProperty("ai.djl.offline") == null) {
                    System.setProperty("ai.djl.offline", "true");
                }
                // One intra-op and one inter-op thread unless told otherwise: bitwise-reproducible results, and
                // no spinning worker threads fighting over a small shared machine. Batched inference may raise it.
                if (System.getProperty(THREADS_PROPERTY) == null) {
                    System.setProperty(THREADS_PROPERTY, "1");
                }
                if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                }
                System.setProperty("OPT_OUT_TRACKING", "true");
                try {
                    engine = Engine.getEngine(ENGINE);
                } catch (RuntimeException | LinkageError ex) {
                    throw new EngineUnavailableException("cannot load the PyTorch engine offline (" + ex.getMessage()
                        + "); it needs ai.djl.pytorch:pytorch-native-cpu:linux-x86_64 and ai.djl.pytorch:pytorch-jni on the"
                        + " classpath and a writable DJL cache (DJL_CACHE_DIR, default ~/.djl.ai)", ex);
                }
            }
            return engine;
        }
    }

    /** One line: engine name and version (for manifests and the CLI). */
    public static String describe() {
        Engine e = engine();
        return e.getEngineName() + " " + e.getVersion() + " (offline=" + System.getProperty("ai.djl.offline") + ")";
    }
}
