package dev.berth.agent.cli;

import picocli.CommandLine.Option;

/** Options every subcommand has. */
final class CommonOptions {
  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  enum OutputFormat {
    text,
    json
  }
}
