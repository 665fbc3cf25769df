package dev.berth.agent.cli;

import picocli.CommandLine.Command;

/** The top-level command; its subcommands ({@link Subcommands}) do the work. */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    // Every subcommand has --help (its usage errors point at it) and --version.
    scope = picocli.CommandLine.ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "GitOps for systemd-nspawn containers (NixOS RFC 0108).")
final class BerthCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command");
  }
}
