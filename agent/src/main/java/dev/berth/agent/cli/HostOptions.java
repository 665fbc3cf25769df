package dev.berth.agent.cli;

import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.render.SystemBuilds;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which host a command works for, and what is known of its builds. */
final class HostOptions {
  @Option(names = "--host", required = true, paramLabel = "NAME", description = "The host's name.")
  String host;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "A label of the host (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--system",
      paramLabel = "CONTAINER=STOREPATH",
      description =
          "The built NixOS toplevel of a nixos container (repeatable); without it the"
              + " container's Parameters= is left out until berth builds it.")
  Map<String, String> systems = new LinkedHashMap<>();

  Host toHost() {
    return new Host(host, labels);
  }

  SystemBuilds builds() {
    systems.forEach(
        (name, path) -> {
          if (!path.startsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
            throw new UserError(
                "--system " + name + "=" + path + ": the system must be an absolute store path");
          }
        });
    return SystemBuilds.of(systems);
  }
}
