package io.shadowvm.cli.vm;

import io.shadowvm.cli.controller.ControllerEndpoint;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shadowvm vm delete NAME}. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete a VM: its primary and shadows are stopped (DELETE /api/v1/vms/NAME).")
public final class VmDeleteCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @CommandLine.Mixin
    ControllerEndpoint controller;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(controller.client().delete("/vms/" + name));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
