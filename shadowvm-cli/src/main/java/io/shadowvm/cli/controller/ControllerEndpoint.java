package io.shadowvm.cli.controller;

import picocli.CommandLine.Option;

/**
 * The {@code --controller URL} option shared by every command that talks to a controller's REST API
 * (picocli mixin: {@code @Mixin ControllerEndpoint controller;}).
 */
public final class ControllerEndpoint {
    @Option(names = "--controller", defaultValue = RestClient.DEFAULT_URL,
        description = "Controller URL (default ${DEFAULT-VALUE}).")
    String url;

    public RestClient client() {
        return new RestClient(url);
    }
}
