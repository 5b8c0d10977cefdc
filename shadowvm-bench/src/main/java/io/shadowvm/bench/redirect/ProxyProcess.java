package io.shadowvm.bench.redirect;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.DataPlane;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.health.OutlierConfig;
import io.shadowvm.redirect.l4.L4Config;
import io.shadowvm.redirect.l4.L4Redirector;
import io.shadowvm.redirect.l7.L7Config;
import io.shadowvm.redirect.l7.L7Redirector;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The ShadowVM proxy as its own process (as HAProxy is): {@code ProxyProcess l4|l4splice|l7 THREADS WEIGHTS
 * NAME=HOST:PORT...}; prints "ready PORT" and runs until stdin closes.
 */
public final class ProxyProcess {
    private ProxyProcess() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        RelativeWeights weights = RelativeWeights.parse(args[2]);
        List<Backend> backends = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            backends.add(new Backend(name, Backend.parseAddress(args[i].substring(args[i].indexOf('=') + 1))));
        }
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        OutlierConfig outlier = OutlierConfig.defaults().withHealthChecks(0, 1_000_000_000L);
        DataPlane plane;
        int port;
        if (mode.startsWith("l4")) {
            L4Redirector l4 = L4Redirector.start(L4Config.of(listen, backends, weights).withIoThreads(threads)
                .withSplice(mode.equals("l4splice")).withOutlier(outlier));
            plane = l4;
            port = l4.localAddress().getPort();
        } else {
            L7Redirector l7 = L7Redirector.start(L7Config.of(listen, backends, weights).withIoThreads(threads)
                .withOutlier(outlier));
            plane = l7;
            port = l7.localAddress().getPort();
        }
        System.out.println("ready " + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the benchmark closes our stdin
        }
        plane.close();
    }
}
