package dev.berth.agent.process;

import dev.berth.reconciler.host.CommandResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One host command (nsenter, journalctl) run to its end or its time limit, its outcome a typed
 * {@link CommandResult}: the one place where berth starts such a process. A command that outlives
 * its limit, or whose caller is interrupted, is killed with its children before {@link #run}
 * returns.
 */
public final class Subprocess {
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  /** How long the output may still come after the process ended (a child of it may hold it). */
  private static final Duration OUTPUT_GRACE = Duration.ofMillis(500);

  /** What of the command's output berth keeps. */
  private enum Kept {
    /** Standard output and standard error, as one. */
    ALL,
    NOTHING,
    /** Only standard error: standard output never reaches berth (a decrypted secret). */
    ERRORS
  }

  private final List<String> command;
  private Duration timeout = Duration.ofSeconds(30);
  private Kept kept = Kept.ALL;
  private byte[] input;

  private Subprocess(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command to run");
    }
    this.command = List.copyOf(command);
  }

  public static Subprocess of(List<String> command) {
    return new Subprocess(command);
  }

  public static Subprocess of(String... command) {
    return new Subprocess(List.of(command));
  }

  /** How long the command may run; 30 s unless set. */
  public Subprocess timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** The command's output is thrown away instead of kept in the result. */
  public Subprocess discardOutput() {
    this.kept = Kept.NOTHING;
    return this;
  }

  /**
   * The command's standard output goes to /dev/null, unread; the result keeps its standard error.
   */
  public Subprocess discardStandardOutput() {
    this.kept = Kept.ERRORS;
    return this;
  }

  /** What the command reads on its standard input (otherwise it reads nothing). */
  public Subprocess input(byte[] bytes) {
    this.input = bytes.clone();
    return this;
  }

  /**
   * Runs the command on berth's own standard input, output and error (a terminal, a pipe) until it
   * ends, without a time limit ({@code journalctl --follow} ends when interrupted); the result
   * keeps no output. If berth is stopped meanwhile (Ctrl-C, SIGTERM), the command is killed too.
   */
  public CommandResult runAttached() {
    Process process;
    try {
      process = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      return CommandResult.couldNotStart(command.get(0), e.getMessage());
    }
    Thread stop = new Thread(() -> kill(process), "stop " + command.get(0));
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      return CommandResult.exited(process.waitFor());
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      return CommandResult.interrupted();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: the command is being killed already.
      }
    }
  }

  /**
   * Runs the command; its standard error is read with its standard output, unless only it is kept.
   */
  public CommandResult run() {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(kept == Kept.ALL);
    if (kept != Kept.ALL) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    if (kept == Kept.NOTHING) {
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return CommandResult.couldNotStart(command.get(0), e.getMessage());
    }
    if (input != null) {
      Input.of(process, input);
    }
    Output output =
        switch (kept) {
          case ALL -> Output.of(process.inputReader());
          case ERRORS -> Output.of(process.errorReader());
          case NOTHING -> null;
        };
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        kill(process);
        return CommandResult.timedOut(timeout);
      }
      if (output != null) {
        // A child it left running may hold the pipe open: its output is what came until then.
        output.finishedBy(Math.min(deadline, System.nanoTime() + OUTPUT_GRACE.toNanos()));
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      return CommandResult.interrupted();
    }
    return CommandResult.exited(process.exitValue(), output == null ? List.of() : output.lines());
  }

  /** Kills the process and what it started, and waits (briefly) until the process is gone. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What the process reads, written by a thread of its own so that a command that reads slowly (or
   * not at all) neither blocks berth nor keeps {@link #run} past the time limit.
   */
  private static final class Input {
    private Input() {}

    static void of(Process process, byte[] bytes) {
      Thread writer =
          new Thread(
              () -> {
                try (var out = process.getOutputStream()) {
                  out.write(bytes);
                } catch (IOException e) {
                  // the process ended, or closed its input early: it read what it wanted
                }
              },
              "berth-subprocess-input");
      writer.setDaemon(true);
      writer.start();
    }
  }

  /**
   * The process's output, read by a thread of its own so that a command that prints much neither
   * blocks on a full pipe nor keeps {@link #run} past the time limit.
   */
  private static final class Output {
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private Output(BufferedReader in) {
      this.reader =
          new Thread(
              () -> {
                try (in) {
                  for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the process was killed, or closed its output early: keep what was read
                }
              },
              "berth-subprocess-output");
      reader.setDaemon(true);
    }

    static Output of(BufferedReader in) {
      Output output = new Output(in);
      output.reader.start();
      return output;
    }

    /** Whether the output reached its end before {@code deadline} (a {@link System#nanoTime}). */
    boolean finishedBy(long deadline) throws InterruptedException {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
      return !reader.isAlive();
    }

    /** The lines read so far. */
    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }
  }
}
