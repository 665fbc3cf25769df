package dev.berth.agent.cli;

import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.render.SystemBuilds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which host a live command works for: by default this machine, by its host name. */
final class LiveHostOptions {
  @Option(
      names = "--host",
      paramLabel = "NAME",
      description = "The host's name (default: this machine's).")
  String host;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "A label of the host (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--system",
      paramLabel = "CONTAINER=STOREPATH",
      description = "The built NixOS toplevel of a nixos container (repeatable).")
  Map<String, String> systems = new LinkedHashMap<>();

  Host toHost() {
    try {
      return new Host(host != null ? host : LiveHost.hostname(), labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  SystemBuilds builds() {
    HostOptions options = new HostOptions();
    options.systems = systems;
    return options.builds();
  }
}
