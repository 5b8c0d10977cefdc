package io.shadowvm.cli.vm;

import io.shadowvm.cli.controller.ControllerEndpoint;
import io.shadowvm.cli.controller.RestClient;
import io.shadowvm.cli.controller.VmListCommandSupport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm vm list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List VMs with their primaries and shadows.")
public final class VmListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ControllerEndpoint controller;

    @Option(names = "--json", description = "Print GET /api/v1/vms as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RestClient c = controller.client();
        if (json) {
            out.println(c.get("/vms"));
        } else {
            VmListCommandSupport.printVms(out, c.tree("/vms"));
        }
        out.flush();
        return 0;
    }
}
