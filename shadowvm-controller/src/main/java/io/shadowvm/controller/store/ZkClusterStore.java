package io.shadowvm.controller.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.api.rest.ApiJson;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.HostRecord;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPlacement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * {@link ClusterStore} on ZooKeeper (layout in {@code package-info}). Values are JSON with the API's strict
 * mapper, so an entry with unknown fields (a newer controller's) is reported, not half-read. The client
 * must be started and namespaced by the caller ({@link ZooKeeperConnection}).
 */
public final class ZkClusterStore implements ClusterStore {
    static final String DESIRED = "/desired/vms";
    static final String HOSTS = "/observed/hosts";
    static final String PLACEMENTS = "/observed/placements";
    static final String FAILOVERS = "/observed/failovers";
    static final String FENCING = "/fencing";

    private final CuratorFramework client;
    private final ObjectMapper json = ApiJson.mapper();

    public ZkClusterStore(CuratorFramework client) {
        this.client = client;
        for (String p : List.of(DESIRED, HOSTS, PLACEMENTS, FAILOVERS, FENCING)) {
            try {
                client.create().orSetData().creatingParentsIfNeeded().forPath(p);
            } catch (Exception e) {
                throw new StoreException("cannot create " + p + " in ZooKeeper: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void putDesired(VmDesired vm) {
        put(DESIRED + "/" + vm.name(), vm);
    }

    @Override
    public void deleteDesired(String vm) {
        delete(DESIRED + "/" + vm);
    }

    @Override
    public Map<String, VmDesired> desired() {
        return readAll(DESIRED, VmDesired.class);
    }

    @Override
    public void putPlacement(VmPlacement placement) {
        put(PLACEMENTS + "/" + placement.vm(), placement);
    }

    @Override
    public void deletePlacement(String vm) {
        delete(PLACEMENTS + "/" + vm);
    }

    @Override
    public Map<String, VmPlacement> placements() {
        return readAll(PLACEMENTS, VmPlacement.class);
    }

    @Override
    public void putHost(HostRecord host) {
        put(HOSTS + "/" + host.name(), host);
    }

    @Override
    public Map<String, HostRecord> hosts() {
        return readAll(HOSTS, HostRecord.class);
    }

    @Override
    public long fencingEpoch(String host) {
        try {
            byte[] b = client.getData().forPath(FENCING + "/" + host);
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        } catch (KeeperException.NoNodeException e) {
            return 0;
        } catch (NumberFormatException e) {
            throw new StoreException("corrupt fencing epoch of host " + host + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw failure("read fencing epoch of " + host, e);
        }
    }

    @Override
    public long raiseFencingEpoch(String host) {
        String path = FENCING + "/" + host;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Stat stat = new Stat();
                byte[] b;
                try {
                    b = client.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException e) {
                    client.create().forPath(path, "1".getBytes(StandardCharsets.US_ASCII));
                    return 1;
                }
                long next = Long.parseLong(new String(b, StandardCharsets.US_ASCII)) + 1;
                client.setData().withVersion(stat.getVersion()).forPath(path,
                    Long.toString(next).getBytes(StandardCharsets.US_ASCII));
                return next;
            } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
                // another writer raced us: read again
            } catch (Exception e) {
                throw failure("raise fencing epoch of " + host, e);
            }
        }
        throw new StoreException("cannot raise fencing epoch of " + host + ": 100 concurrent updates lost", null);
    }

    @Override
    public void appendFailover(FailoverRecord failover) {
        try {
            client.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(FAILOVERS + "/f-",
                json.writeValueAsBytes(failover));
        } catch (Exception e) {
            throw failure("append failover of " + failover.vm(), e);
        }
    }

    @Override
    public List<FailoverRecord> failovers() {
        List<FailoverRecord> out = new ArrayList<>(readAll(FAILOVERS, FailoverRecord.class).values());
        return Collections.unmodifiableList(out);
    }

    @Override
    public void close() {
        // the connection belongs to whoever made it
    }

    private void put(String path, Object value) {
        try {
            client.create().orSetData().forPath(path, json.writeValueAsBytes(value));
        } catch (Exception e) {
            throw failure("write " + path, e);
        }
    }

    private void delete(String path) {
        try {
            client.delete().quietly().forPath(path);
        } catch (Exception e) {
            throw failure("delete " + path, e);
        }
    }

    private <T> Map<String, T> readAll(String parent, Class<T> type) {
        try {
            List<String> children = new ArrayList<>(client.getChildren().forPath(parent));
            Collections.sort(children);
            Map<String, T> out = new LinkedHashMap<>();
            for (String c : children) {
                byte[] b;
                try {
                    b = client.getData().forPath(parent + "/" + c);
                } catch (KeeperException.NoNodeException e) {
                    continue;
                }
                try {
                    out.put(c, json.readValue(b, type));
                } catch (java.io.IOException e) {
                    throw new StoreException("corrupt entry " + parent + "/" + c + " (not a " + type.getSimpleName()
                        + "): " + e.getMessage(), e);
                }
            }
            return out;
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw failure("read " + parent, e);
        }
    }

    private static StoreException failure(String what, Exception e) {
        return new StoreException("cluster store: cannot " + what + ": " + e, e);
    }
}
