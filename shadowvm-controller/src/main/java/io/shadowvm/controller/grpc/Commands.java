package io.shadowvm.controller.grpc;

import io.shadowvm.api.proto.BackendWeight;
import io.shadowvm.api.proto.Command;
import io.shadowvm.api.proto.CreateVm;
import io.shadowvm.api.proto.Fence;
import io.shadowvm.api.proto.Promote;
import io.shadowvm.api.proto.SetWeights;
import io.shadowvm.api.proto.StartShadowSync;
import io.shadowvm.api.proto.StopVm;
import io.shadowvm.controller.command.AgentAction;
import java.util.Map;

/** {@link AgentAction} → protobuf {@link Command}, stamped with the target host's fencing epoch. */
public final class Commands {
    private Commands() {
    }

    public static Command toProto(AgentAction action, long fencingEpoch) {
        Command.Builder b = Command.newBuilder().setId(action.id()).setFencingEpoch(fencingEpoch);
        if (action instanceof AgentAction.CreateVm a) {
            b.setCreateVm(CreateVm.newBuilder().setVm(a.vm()).setVcpus(a.vcpus()).setMemoryMib(a.memoryMib())
                .setVmGeneration(a.generation()).setGuestKind(a.guest()));
        } else if (action instanceof AgentAction.StartShadowSync a) {
            b.setStartShadowSync(StartShadowSync.newBuilder().setVm(a.vm()).setPrimaryHost(a.primaryHost())
                .setShadowHost(a.shadowHost()).setServing(a.serving()).setVmGeneration(a.generation())
                .setSinkAddress(a.sinkAddress()).setGuestKind(a.guest()).setMemoryMib(a.memoryMib()));
        } else if (action instanceof AgentAction.SetWeights a) {
            SetWeights.Builder w = SetWeights.newBuilder().setVm(a.vm()).setVersion(a.version());
            for (Map.Entry<String, Double> e : a.weights().entrySet()) {
                w.addBackends(BackendWeight.newBuilder().setHost(e.getKey())
                    .setAddress(a.addresses().getOrDefault(e.getKey(), "")).setWeight(e.getValue()));
            }
            b.setSetWeights(w);
        } else if (action instanceof AgentAction.Promote a) {
            b.setPromote(Promote.newBuilder().setVm(a.vm()).setVmGeneration(a.generation())
                .setExpectedEpoch(a.expectedEpoch()));
        } else if (action instanceof AgentAction.Fence a) {
            b.setFence(Fence.newBuilder().addAllVms(a.vms()).setReason(a.reason()));
        } else if (action instanceof AgentAction.StopVm a) {
            b.setStopVm(StopVm.newBuilder().setVm(a.vm()).setReason(a.reason()).setVmGeneration(a.generation()));
        } else {
            throw new IllegalArgumentException("unknown action " + action.getClass().getName());
        }
        return b.build();
    }
}
