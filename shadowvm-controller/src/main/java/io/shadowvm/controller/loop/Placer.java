package io.shadowvm.controller.loop;

import io.shadowvm.core.vm.VmSpec;
import java.util.List;
import java.util.Set;

/**
 * The loop's port to the Placement Manager. Single-threaded (the loop's). The placer keeps its own view
 * of what runs where: every change the loop makes is reported through {@link #update} or {@link #release}.
 */
public interface Placer {
    /** A primary and shadows for a new VM among {@code usableHosts}; throws a {@code ShadowVmException} naming the VM and the unmet constraint. */
    Choice place(VmSpec vm, Set<String> usableHosts);

    /** One more shadow for {@code vm}, given where its primary and other shadows run; {@code null} when no host qualifies. */
    String placeShadow(VmSpec vm, String primaryHost, List<String> otherShadowHosts, Set<String> usableHosts);

    /** The VM now runs its primary on {@code primaryHost} and shadows on {@code shadowHosts}. */
    void update(VmSpec vm, String primaryHost, List<String> shadowHosts);

    /** The VM is gone. */
    void release(String vm);

    /** Which implementation this is (shown in status, logged at start). */
    String describe();

    record Choice(String primary, List<String> shadows, String partialReason) {
        public Choice {
            shadows = List.copyOf(shadows);
        }
    }
}
