package io.shadowvm.controller.store;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A single ZooKeeper server inside the controller's process, listening on loopback, with its snapshots
 * and transaction log in a data directory: the default cluster store, so nothing needs installing. A
 * controller restarted on the same directory finds its state again.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private static final int TICK_MS = 500;
    private static final int MAX_CLIENT_CONNECTIONS = 256;

    private final ZooKeeperServer server;
    private final ServerCnxnFactory factory;

    private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory factory) {
        this.server = server;
        this.factory = factory;
    }

    /** Starts a server on {@code port} (0: any free port) with state in {@code dataDir} (created if missing). */
    public static EmbeddedZooKeeper start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            File dir = dataDir.toFile();
            ZooKeeperServer zk = new ZooKeeperServer(dir, dir, TICK_MS);
            ServerCnxnFactory f = ServerCnxnFactory.createFactory(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), MAX_CLIENT_CONNECTIONS);
            f.startup(zk);
            return new EmbeddedZooKeeper(zk, f);
        } catch (IOException e) {
            throw new StoreException("cannot start embedded ZooKeeper on port " + port + " with data in " + dataDir
                + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while starting embedded ZooKeeper", e);
        }
    }

    public int port() {
        return factory.getLocalPort();
    }

    /** The connect string clients use. */
    public String connectString() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        factory.shutdown();
        server.shutdown();
    }
}
