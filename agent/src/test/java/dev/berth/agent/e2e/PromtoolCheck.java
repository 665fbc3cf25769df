package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code promtool check metrics} (Debian's prometheus package) on a scrape of the agent. */
final class PromtoolCheck {
  private PromtoolCheck() {}

  /** Fails unless promtool finds no fault in {@code exposition}, kept in {@code work}. */
  static void assertClean(Path work, String exposition) throws Exception {
    Path file = work.resolve("metrics.txt");
    Files.writeString(file, exposition + "\n");
    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(promtool.getInputStream().readAllBytes());
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(out).isZero();
  }
}
