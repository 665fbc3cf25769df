package dev.berth.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The alert rules operators install, checked and unit-tested by Prometheus's own promtool. */
class AlertRulesIT {
  private static final Path RULES = Path.of("..", "helm-free-deploy", "prometheus");

  private static String promtool(String... args) throws Exception {
    boolean installed =
        List.of("/usr/bin/promtool", "/usr/local/bin/promtool").stream()
            .map(Path::of)
            .anyMatch(Files::isExecutable);
    assertThat(installed)
        .as("promtool is missing: apt-get install -y prometheus (bin/install-test-deps does)")
        .isTrue();
    Process process =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("promtool"), List.of(args).stream())
                    .toList())
            .directory(RULES.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void theRulesAreValid() throws Exception {
    assertThat(promtool("check", "rules", "berth-rules.yaml")).contains("SUCCESS: 12 rules found");
  }

  @Test
  void everyAlertFiresWhenItShouldAndStaysQuietBeforeItsForAndAfterItsWindow() throws Exception {
    assertThat(promtool("test", "rules", "berth-rules.test.yaml")).contains("SUCCESS");
  }
}
