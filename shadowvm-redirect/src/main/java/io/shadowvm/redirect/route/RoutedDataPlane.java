package io.shadowvm.redirect.route;

import io.netty.channel.EventLoopGroup;
import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.BackendStats;
import io.shadowvm.redirect.DataPlane;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A proxy data plane whose backends, weights and counters are kept by a {@link RoutingControl}: the
 * {@link DataPlane} methods are that control's, so every proxy answers them the same way.
 */
public interface RoutedDataPlane extends DataPlane {
    RoutingControl control();

    @Override
    default List<Backend> backends() {
        return control().backends();
    }

    @Override
    default void setWeights(RelativeWeights weights) {
        control().setWeights(weights);
    }

    @Override
    default Map<String, Double> weights() {
        return control().weights();
    }

    @Override
    default Map<String, BackendStats.Snapshot> stats() {
        return control().statsSnapshot();
    }

    /**
     * Undoes a proxy's start that failed part way (the control, if made, and the event loops, if any) and
     * returns the exception to throw: the original {@link RedirectException}, or one naming the address.
     */
    static RedirectException startFailed(InetSocketAddress listen, RuntimeException cause, RoutingControl control,
                                         EventLoopGroup... groups) {
        if (control != null) {
            control.close();
        }
        for (EventLoopGroup g : groups) {
            if (g != null) {
                g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
        }
        return cause instanceof RedirectException r ? r
            : new RedirectException("cannot listen on " + listen + ": " + cause.getMessage(), cause);
    }
}
