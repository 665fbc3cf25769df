package dev.berth.agent.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * berth's subcommands, and which of them a command line needs. picocli builds a subcommand's model
 * from its annotations by reflection, which was most of the CLI's start when it built all of them
 * for every run (README, "CLI start").
 */
final class Subcommands {
  /** Every subcommand, in the order {@code berth --help} lists them. */
  static final List<Class<?>> ALL =
      List.of(
          ValidateCommand.class,
          RenderCommand.class,
          PlanCommand.class,
          DiffCommand.class,
          ApplyCommand.class,
          ImperativeCommands.Create.class,
          ImperativeCommands.Update.class,
          ImperativeCommands.Remove.class,
          ListCommand.class,
          HistoryCommand.class,
          FleetCommand.class,
          AgentCommand.class,
          StatusCommand.class,
          LogsCommand.class,
          ClientCommands.Reconcile.class,
          ClientCommands.Suspend.class,
          ClientCommands.Resume.class,
          EventsCommand.class,
          MigrateCommand.class,
          SealCommand.class,
          CompletionCommand.class);

  private Subcommands() {}

  /**
   * Whether {@code reached} is one subcommand that reads manifests: then the CRD schemas, a third
   * of such a run, are made while picocli parses (README, "CLI start").
   */
  static boolean readManifests(List<Class<?>> reached) {
    return reached.size() == 1 && ReadsManifests.class.isAssignableFrom(reached.get(0));
  }

  /**
   * The subcommands that parsing {@code args} can reach: none for {@code --version} alone (it
   * prints the version and nothing else), the one that the first argument names exactly (the rest
   * is that subcommand's to parse), else all of them, since help, usage errors and their
   * suggestions list every subcommand.
   */
  static List<Class<?>> reachedBy(String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return List.of();
    }
    if (args.length > 0) {
      for (Class<?> subcommand : ALL) {
        if (isNamed(subcommand, args[0])) {
          return List.of(subcommand);
        }
      }
    }
    return ALL;
  }

  private static boolean isNamed(Class<?> subcommand, String word) {
    Command command = subcommand.getAnnotation(Command.class);
    return command.name().equals(word) || Arrays.asList(command.aliases()).contains(word);
  }
}
