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

  private final List<String> command;
  private Duration timeout = Duration.ofSeconds(30);
  private boolean captureOutput = true;

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
    this.captureOutput = false;
    return this;
  }

  /** Runs the command; its standard error is read with its standard output. */
  public CommandResult run() {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (!captureOutput) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return CommandResult.couldNotStart(command.get(0), e.getMessage());
    }
    Output output = captureOutput ? Output.of(process) : null;
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

    static Output of(Process process) {
      Output output = new Output(process.inputReader());
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
