package dev.berth.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
  void everyAlertFiresWhenItShouldAndStaysQuietWhenItShouldNot() throws Exception {
    assertThat(promtool("test", "rules", "berth-rules.test.yaml")).contains("SUCCESS");

    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group :
        yaml.readTree(RULES.resolve("berth-rules.yaml").toFile()).path("groups")) {
      group.path("rules").forEach(rule -> alerts.add(rule.path("alert").asText()));
    }
    Set<String> fires = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (JsonNode test :
        yaml.readTree(RULES.resolve("berth-rules.test.yaml").toFile()).path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        (check.path("exp_alerts").isEmpty() ? quiet : fires).add(check.path("alertname").asText());
      }
    }
    assertThat(fires).as("alerts with a case where they fire").isEqualTo(alerts);
    assertThat(quiet).as("alerts with a case where they must not fire").isEqualTo(alerts);
  }
}
