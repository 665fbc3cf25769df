package dev.berth.agent.cli;

import picocli.CommandLine;

/**
 * berth with every subcommand built: what a completion script and the man pages describe. A run of
 * berth builds only the subcommand it names ({@link Subcommands#reachedBy}).
 */
final class CommandTree {
  private CommandTree() {}

  static CommandLine whole() {
    CommandLine berth = new CommandLine(new BerthCommand());
    Subcommands.ALL.forEach(berth::addSubcommand);
    return berth;
  }
}
