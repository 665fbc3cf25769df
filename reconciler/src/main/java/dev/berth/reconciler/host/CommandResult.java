package dev.berth.reconciler.host;

import java.time.Duration;
import java.util.List;

/** How a command on the host ended: with an exit code, by its time limit, or not at all. */
public sealed interface CommandResult {

  static CommandResult exited(int code) {
    return new Exited(code, List.of());
  }

  static CommandResult exited(int code, List<String> output) {
    return new Exited(code, output);
  }

  static CommandResult timedOut(Duration limit) {
    return new TimedOut(limit);
  }

  static CommandResult interrupted() {
    return new Interrupted();
  }

  static CommandResult couldNotStart(String program, String reason) {
    return new CouldNotStart(program, reason);
  }

  /** Whether the command ran and exited 0. */
  default boolean succeeded() {
    return this instanceof Exited exited && exited.code() == 0;
  }

  /** What happened, to follow "the command ...": {@code exited 3}, {@code timed out after 30 s}. */
  String describe();

  /** The command ran to its end; {@code output} is what it printed, if it was captured. */
  record Exited(int code, List<String> output) implements CommandResult {
    public Exited {
      output = List.copyOf(output);
    }

    @Override
    public String describe() {
      return "exited " + code;
    }
  }

  /** The command ran longer than {@code limit} and was killed. */
  record TimedOut(Duration limit) implements CommandResult {
    @Override
    public String describe() {
      long millis = limit.toMillis();
      return "timed out after " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms");
    }
  }

  /** berth was interrupted while it waited; the command was killed. */
  record Interrupted() implements CommandResult {
    @Override
    public String describe() {
      return "was interrupted";
    }
  }

  /** The program could not be started (not installed, not executable). */
  record CouldNotStart(String program, String reason) implements CommandResult {
    @Override
    public String describe() {
      return "cannot run " + program + ": " + reason;
    }
  }
}
