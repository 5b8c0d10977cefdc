package io.shadowvm.cli.vm;

import io.shadowvm.cli.controller.ControllerEndpoint;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shadowvm vm show NAME}. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one VM as JSON (GET /api/v1/vms/NAME).")
public final class VmShowCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @CommandLine.Mixin
    ControllerEndpoint controller;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(controller.client().get("/vms/" + name));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
