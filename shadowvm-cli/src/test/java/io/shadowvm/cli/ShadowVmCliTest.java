package io.shadowvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ShadowVmCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ShadowVm.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpExitsZeroAndListsCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: shadowvm").contains("Commands:");
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithExitCodeTwo() {
        assertThat(run("no-such-command")).isEqualTo(ShadowVm.EXIT_USAGE);
        assertThat(err.toString()).contains("Unmatched argument").doesNotContain("Exception");
    }

    @Test
    void everyCommandAndSubcommandHasHelp() {
        assertEveryCommandHasHelp(ShadowVm.commandLine());
    }

    private static void assertEveryCommandHasHelp(picocli.CommandLine cmd) {
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                assertThat(sub.getCommandSpec().mixinStandardHelpOptions())
                    .as("command '%s' has --help", sub.getCommandSpec().qualifiedName()).isTrue();
                assertEveryCommandHasHelp(sub);
            }
        });
    }
}
