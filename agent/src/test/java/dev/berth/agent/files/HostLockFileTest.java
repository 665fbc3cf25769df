package dev.berth.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host lock between two processes, as the agent and berth create are: a second JVM holds it,
 * this one waits with a message naming the holder, and gets it once the other lets go.
 */
class HostLockFileTest {
  @TempDir Path stateDir;

  /** The other process: takes the lock, says so, and holds it until its stdin closes. */
  public static void main(String[] args) throws Exception {
    try (var held = new HostLockFile(Path.of(args[0]), "the other berth").acquire(m -> {})) {
      System.out.println("held");
      System.out.flush();
      System.in.read();
    }
  }

  @Test
  void waitsForAnotherProcessAndNamesIt() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process other =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                HostLockFileTest.class.getName(),
                stateDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("held");
      List<String> waiting = new CopyOnWriteArrayList<>();
      HostLockFile lock = new HostLockFile(stateDir, "this test");
      CompletableFuture<Long> acquired =
          CompletableFuture.supplyAsync(
              () -> {
                try (var held = lock.acquire(waiting::add)) {
                  return System.nanoTime();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(500);
      assertThat(acquired).isNotDone();
      assertThat(waiting)
          .singleElement()
          .asString()
          .startsWith("the other berth (pid " + other.pid() + ") holds ")
          .endsWith("inventory.lock; waiting for it to finish");
      long released = System.nanoTime();
      try (OutputStream in = other.getOutputStream()) {
        in.write('\n');
      }
      assertThat(acquired.get(10, TimeUnit.SECONDS)).isGreaterThan(released);
      assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      other.destroy();
    }
  }
}
