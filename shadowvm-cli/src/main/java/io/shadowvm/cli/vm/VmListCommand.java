package io.shadowvm.cli.vm;

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

    @Option(names = "--controller", defaultValue = RestClient.DEFAULT_URL, description = "Controller URL (default ${DEFAULT-VALUE}).")
    String controller;

    @Option(names = "--json", description = "Print GET /api/v1/vms as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RestClient c = new RestClient(controller);
        if (json) {
            out.println(c.get("/vms"));
        } else {
            VmListCommandSupport.printVms(out, c.tree("/vms"));
        }
        out.flush();
        return 0;
    }
}
