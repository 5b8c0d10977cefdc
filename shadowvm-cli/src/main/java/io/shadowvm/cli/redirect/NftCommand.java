package io.shadowvm.cli.redirect;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.nft.NftRedirector;
import io.shadowvm.redirect.nft.NftRuleset;
import io.shadowvm.redirect.nft.NumgenMode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shadowvm redirect nft}: install (or replace, atomically) a weighted DNAT table in a network namespace. */
@Command(name = "nft", mixinStandardHelpOptions = true,
    description = "Install or atomically replace an nftables table in a network namespace that DNATs the service "
        + "address to the backends by weight (numgen map). Needs root and nft.")
public final class NftCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--netns", required = true, paramLabel = "NS", description = "The network namespace (ip netns).")
    String netns;

    @Option(names = "--service", required = true, paramLabel = "IP:PORT",
        description = "The IPv4 service address clients connect to.")
    String service;

    @Mixin
    BackendOptions backendOptions;

    @Option(names = "--numgen", defaultValue = "random", paramLabel = "random|inc",
        description = "random: independent draws; inc: exact interleaved split (default: ${DEFAULT-VALUE}).")
    String numgen;

    @Option(names = "--table", defaultValue = NftRuleset.TABLE, description = "Table name (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--dry-run", description = "Print the transaction without applying it.")
    boolean dryRun;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<Backend> backends = backendOptions.backends();
        RelativeWeights weights = backendOptions.weights(backends);
        NumgenMode mode = switch (numgen) {
            case "random" -> NumgenMode.RANDOM;
            case "inc" -> NumgenMode.INC;
            default -> throw new RedirectException("invalid --numgen: " + numgen + " (expected: random or inc)");
        };
        NftRedirector nft = new NftRedirector(netns, table, Backend.parseAddress(service), backends, mode);
        if (dryRun) {
            out.print(NftRuleset.render(table, Backend.parseAddress(service), backends, weights, mode));
            return;
        }
        if (!NftRedirector.toolsAvailable()) {
            throw new RedirectException("nft or ip not found on PATH (install nftables and iproute2)");
        }
        nft.setWeights(weights);
        out.println("nft table ip " + table + " in netns " + netns + " now splits " + service + " as "
            + weights.weights());
    }
}
