package dev.berth.agent.cli;

import picocli.CommandLine.Command;

/** The top-level command; its subcommands do the work. */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    // Every subcommand has --help (its usage errors point at it) and --version.
    scope = picocli.CommandLine.ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "GitOps for systemd-nspawn containers (NixOS RFC 0108).",
    subcommands = {
      ValidateCommand.class,
      RenderCommand.class,
      PlanCommand.class,
      ApplyCommand.class,
      ImperativeCommands.Create.class,
      ImperativeCommands.Update.class,
      ImperativeCommands.Remove.class,
      ListCommand.class,
      HistoryCommand.class,
      FleetCommand.class,
      AgentCommand.class,
      ClientCommands.Status.class,
      ClientCommands.Reconcile.class,
      ClientCommands.Suspend.class,
      ClientCommands.Resume.class,
      EventsCommand.class,
      MigrateCommand.class,
      SealCommand.class
    })
final class BerthCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command");
  }
}
