package io.shadowvm.cli.vm;

import io.shadowvm.api.rest.ApiJson;
import io.shadowvm.api.rest.VmCreateRequest;
import io.shadowvm.cli.controller.ControllerEndpoint;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shadowvm vm create NAME}: asks the controller to place and start a VM with a shadow policy. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Create a VM through the controller's REST API (POST /api/v1/vms).")
public final class VmCreateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "VM name ([a-z0-9][a-z0-9-]{0,62}).")
    String name;

    @Option(names = "--vcpus", defaultValue = "1", description = "vCPUs (default ${DEFAULT-VALUE}).")
    int vcpus;

    @Option(names = "--memory-mib", defaultValue = "256", description = "Memory in MiB (default ${DEFAULT-VALUE}).")
    long memoryMib;

    @Option(names = "--shadows", defaultValue = "1", description = "Shadows: 1 = 1:1, 2 = 1:2 (default ${DEFAULT-VALUE}).")
    int shadows;

    @Option(names = "--mode", defaultValue = "standby", description = "standby or serving (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--avoid", split = ",", description = "Extra failure domains to avoid: pod, power (rack always).")
    List<String> avoid;

    @Option(names = "--guest", defaultValue = "process", description = "process or qemu (default ${DEFAULT-VALUE}).")
    String guest;

    @CommandLine.Mixin
    ControllerEndpoint controller;

    @Override
    public Integer call() {
        VmCreateRequest req = new VmCreateRequest(name, vcpus, memoryMib, null,
            new VmCreateRequest.ShadowPolicyRequest(shadows, mode, avoid, null, null, null), null, guest);
        req.toSpec(); // validate locally first: the same message the controller would give
        String answer = controller.client().post("/vms", ApiJson.write(req));
        spec.commandLine().getOut().println(answer);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
