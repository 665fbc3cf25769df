package dev.berth.agent.cli;

import picocli.CommandLine;

/** The {@code berth} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs berth with {@code args} and returns its exit code; wiring happens here, once. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new BerthCommand());
    commandLine.setExecutionExceptionHandler(new ErrorHandler());
    return commandLine.execute(args);
  }
}
