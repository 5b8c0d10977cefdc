package io.shadowvm.cli.redirect;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --backend} and {@code --weights} options shared by {@code proxy} and {@code nft}. */
public final class BackendOptions {
    @Option(names = "--backend", required = true, split = ",", paramLabel = "NAME=HOST:PORT",
        description = "A backend (the primary or a shadow); repeat or separate with commas.")
    List<String> backends;

    @Option(names = "--weights", required = true, paramLabel = "NAME=W[,NAME=W...]",
        description = "Relative non-negative weights; backends not named get 0.")
    String weights;

    List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        for (String spec : backends) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new RedirectException("invalid backend '" + spec + "' (expected: NAME=HOST:PORT)");
            }
            String name = spec.substring(0, eq).trim();
            if (out.stream().anyMatch(b -> b.name().equals(name))) {
                throw new RedirectException("duplicate backend name: " + name);
            }
            out.add(new Backend(name, Backend.parseAddress(spec.substring(eq + 1).trim())));
        }
        return out;
    }

    RelativeWeights weights(List<Backend> bs) {
        RelativeWeights w = RelativeWeights.parse(weights);
        w.resolve(bs.stream().map(Backend::name).toList()); // unknown names and all-zero fail here
        return w;
    }
}
