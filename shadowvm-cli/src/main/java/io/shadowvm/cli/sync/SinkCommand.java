package io.shadowvm.cli.sync;

import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.SyncSink;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm sync sink}: keep a replica of a source's region, one source after another until stopped. */
@Command(name = "sink", mixinStandardHelpOptions = true,
    description = "Listen for a sync source and keep FILE as its replica (applied one whole epoch at a time).")
public final class SinkCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", converter = HostPort.class,
        description = "Address to listen on.")
    InetSocketAddress listen;

    @Option(names = "--region", required = true, paramLabel = "FILE", description = "The replica file.")
    Path region;

    @Option(names = "--size-mib", paramLabel = "N", description = "Create FILE with N MiB (sparse) when it is missing.")
    Long sizeMib;

    @Option(names = "--durable", description = "fsync journal, replica and metadata on every epoch (host-crash safe).")
    boolean durable;

    @Option(names = "--verbose", description = "Print a line per applied epoch.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sizeMib != null && (sizeMib < 1 || sizeMib > (1L << 24))) {
            throw new SyncException("invalid --size-mib: " + sizeMib + " (expected: 1-16777216)");
        }
        if (!Files.exists(region) && sizeMib == null) {
            throw new SyncException("replica " + region + " does not exist (pass --size-mib N to create it)");
        }
        StopSignal stop = new StopSignal().install();
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().listen(listen).replica(region)
                .createSizeBytes(sizeMib == null ? 0 : sizeMib << 20).durable(durable)
                .onApplied(e -> {
                    if (verbose) {
                        out.println("applied epoch " + e.epoch() + " (" + e.pages() + " pages, "
                            + e.critical().remaining() + " critical bytes)");
                    }
                })
                .onError(t -> {
                    err.println("shadowvm: source connection failed: " + t.getMessage());
                    err.flush();
                }))) {
            InetSocketAddress at = sink.localAddress();
            out.println("sync sink listening on " + at.getHostString() + ":" + at.getPort() + ", replica " + region
                + " (" + Files.size(region) + " bytes), newest epoch " + sink.newestConsistentEpoch());
            out.flush();
            stop.await();
            out.println("sync sink stopped, newest consistent epoch " + sink.newestConsistentEpoch());
            out.flush();
        }
        return 0;
    }
}
