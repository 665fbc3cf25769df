package dev.berth.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --root DIR} of berth plan and diff: a directory that stands for the host. */
final class RootOption {
  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Compare with the files under DIR (a render, a copy of a host) instead of the live"
              + " host, whose unit states then also count.")
  Path root;
}
