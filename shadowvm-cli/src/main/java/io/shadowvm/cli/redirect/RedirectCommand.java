package io.shadowvm.cli.redirect;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shadowvm redirect}: the Traffic Redirection Module's data planes. */
@Command(name = "redirect", mixinStandardHelpOptions = true,
    description = "Redirect traffic between a primary and its shadows by weight (L4/L7 proxy or nftables).",
    subcommands = {ProxyCommand.class, NftCommand.class})
public final class RedirectCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (proxy or nft)");
    }
}
