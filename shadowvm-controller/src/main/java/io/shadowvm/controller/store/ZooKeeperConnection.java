package io.shadowvm.controller.store;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** A started Curator client in the {@code shadowvm} namespace, or a {@link StoreException} naming the ensemble. */
public final class ZooKeeperConnection {
    public static final String NAMESPACE = "shadowvm";

    private ZooKeeperConnection() {
    }

    public static CuratorFramework connect(String connectString, long timeoutMs) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .namespace(NAMESPACE)
            .sessionTimeoutMs(15_000)
            .connectionTimeoutMs((int) Math.min(15_000, timeoutMs))
            .retryPolicy(new ExponentialBackoffRetry(100, 5))
            .build();
        client.start();
        try {
            if (!client.blockUntilConnected((int) timeoutMs, TimeUnit.MILLISECONDS)) {
                client.close();
                throw new StoreException("cannot reach ZooKeeper at " + connectString + " within " + timeoutMs + " ms", null);
            }
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while connecting to ZooKeeper at " + connectString, e);
        }
        return client;
    }
}
