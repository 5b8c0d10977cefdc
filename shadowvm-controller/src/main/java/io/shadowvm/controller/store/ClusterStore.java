package io.shadowvm.controller.store;

import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.HostRecord;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPlacement;
import java.util.List;
import java.util.Map;

/**
 * Durable cluster state. Called from the control loop's thread only; every write is synchronous, so
 * once a call returns the state survives a controller restart. Failures are {@link StoreException}s.
 */
public interface ClusterStore extends AutoCloseable {
    void putDesired(VmDesired vm);

    void deleteDesired(String vm);

    Map<String, VmDesired> desired();

    void putPlacement(VmPlacement placement);

    void deletePlacement(String vm);

    Map<String, VmPlacement> placements();

    void putHost(HostRecord host);

    Map<String, HostRecord> hosts();

    /** The host's current fencing epoch (0 for a host never fenced or registered). */
    long fencingEpoch(String host);

    /** Raises the host's fencing epoch by one, atomically, and returns the new value. */
    long raiseFencingEpoch(String host);

    void appendFailover(FailoverRecord failover);

    List<FailoverRecord> failovers();

    @Override
    void close();
}
