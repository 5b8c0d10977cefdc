package io.shadowvm.sync;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A sink in its own JVM, for the kill test: args = replica file, size in bytes, port. Runs until killed. */
public final class SinkMain {
    private SinkMain() {
    }

    public static void main(String[] args) throws Exception {
        SyncSink sink = SyncSink.start(new SyncSink.Context().replica(Path.of(args[0]))
            .createSizeBytes(Long.parseLong(args[1])).listen(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2]))));
        System.out.println("LISTENING " + sink.localAddress().getPort() + " epoch " + sink.newestConsistentEpoch());
        System.out.flush();
        Thread.currentThread().join();
    }
}
