package dev.berth.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.host.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subprocess boundary against real, short commands: each way a command can end, typed. */
class SubprocessTest {
  @TempDir Path dir;

  @Test
  void anExitCodeComesWithTheOutputAndStandardError() {
    CommandResult result = Subprocess.of("sh", "-c", "echo out; echo err >&2; exit 3").run();

    assertThat(result).isEqualTo(CommandResult.exited(3, List.of("out", "err")));
    assertThat(result.succeeded()).isFalse();
    assertThat(result.describe()).isEqualTo("exited 3");
  }

  @Test
  void exitZeroSucceeds() {
    CommandResult result = Subprocess.of("true").discardOutput().run();

    assertThat(result).isEqualTo(CommandResult.exited(0));
    assertThat(result.succeeded()).isTrue();
  }

  @Test
  void aCommandPastItsTimeLimitIsKilled() throws Exception {
    Path pid = dir.resolve("pid");
    long begun = System.nanoTime();

    CommandResult result =
        Subprocess.of("sh", "-c", "echo $$ > " + pid + "; exec sleep 5")
            .timeout(Duration.ofMillis(200))
            .run();

    assertThat(result).isEqualTo(CommandResult.timedOut(Duration.ofMillis(200)));
    assertThat(result.describe()).isEqualTo("timed out after 200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(Duration.ofSeconds(4));
    long sleeper = Long.parseLong(Files.readString(pid).strip());
    assertThat(ProcessHandle.of(sleeper).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void aChildLeftRunningInTheBackgroundDoesNotHoldTheResult() {
    long begun = System.nanoTime();

    CommandResult result = Subprocess.of("sh", "-c", "sleep 3 & echo started").run();

    assertThat(result).isEqualTo(CommandResult.exited(0, List.of("started")));
    assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aMissingProgramCannotStart() {
    CommandResult result = Subprocess.of("/nonexistent/berth-no-such-program", "x").run();

    assertThat(result).isInstanceOf(CommandResult.CouldNotStart.class);
    assertThat(result.describe()).startsWith("cannot run /nonexistent/berth-no-such-program: ");
  }

  @Test
  void anInterruptedCallerGetsInterruptedAndKeepsItsFlag() {
    Thread.currentThread().interrupt();
    try {
      CommandResult result = Subprocess.of("sleep", "5").run();

      assertThat(result).isEqualTo(CommandResult.interrupted());
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theCommandReadsWhatItIsGivenOnItsStandardInput() {
    CommandResult result =
        Subprocess.of("sh", "-c", "read line; echo \"got $line\"")
            .input("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .run();

    assertThat(result).isEqualTo(CommandResult.exited(0, List.of("got hello")));
  }

  @Test
  void withStandardOutputDiscardedOnlyStandardErrorComesBack() {
    CommandResult result =
        Subprocess.of("sh", "-c", "echo plaintext; echo 'it failed' >&2; exit 1")
            .discardStandardOutput()
            .run();

    assertThat(result).isEqualTo(CommandResult.exited(1, List.of("it failed")));
  }

  @Test
  void anAttachedCommandWritesWhereBerthWritesAndItsExitCodeComesBack() throws Exception {
    Path out = dir.resolve("out");

    CommandResult result =
        Subprocess.of(
                "sh", "-c", "echo on the same terminal > \"$1\"; exit 3", "sh", out.toString())
            .runAttached();

    assertThat(result).isEqualTo(CommandResult.exited(3));
    assertThat(java.nio.file.Files.readString(out)).isEqualTo("on the same terminal\n");
    assertThat(Subprocess.of("/nonexistent/berth-no-such-program").runAttached())
        .isInstanceOf(CommandResult.CouldNotStart.class);
  }

  @Test
  void anAttachedCommandOfAnInterruptedCallerIsKilled() {
    Thread.currentThread().interrupt();
    long begun = System.nanoTime();
    try {
      CommandResult result = Subprocess.of("sleep", "30").runAttached();

      assertThat(result).isEqualTo(CommandResult.interrupted());
      assertThat(System.nanoTime() - begun).isLessThan(java.time.Duration.ofSeconds(20).toNanos());
    } finally {
      Thread.interrupted();
    }
  }
}
