package dev.berth.reconciler.validate;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static dev.berth.reconciler.testing.RolloutYaml.FLEET;
import static dev.berth.reconciler.testing.RolloutYaml.MINIMAL;
import static dev.berth.reconciler.testing.RolloutYaml.fleetWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.testing.Findings.Expected;
import dev.berth.reconciler.testing.InMemoryTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of a Rollout, as the loader reports them: file, line, column and reason. */
class RolloutRulesTest {

  private static LoadResult load(String manifest) {
    return loadAll(InMemoryTree.of("rollout.yaml", manifest));
  }

  @Test
  void theFleetRolloutIsValid() {
    assertFindings(load(FLEET));
  }

  @Test
  void aRolloutOfOneWaveWithoutSelectorIsValid() {
    assertFindings(load(MINIMAL));
  }

  @Test
  void theExampleRepositorysCommentedRolloutIsValidOnceUncommented() throws IOException {
    List<String> lines =
        Files.readAllLines(Path.of("..", "examples-repo", "rollout", "rollout.yaml"));
    String uncommented =
        lines.subList(lines.indexOf("# -------- cut --------") + 1, lines.size()).stream()
            .map(line -> line.substring(2))
            .collect(Collectors.joining("\n", "", "\n"));

    LoadResult result = load(uncommented);

    assertFindings(result);
    assertThat(result.manifests().rollout().orElseThrow().spec())
        .isEqualTo(load(FLEET).manifests().rollout().orElseThrow().spec());
  }

  @Nested
  class OnePerRepository {
    @Test
    void aSecondRolloutIsAnErrorThatNamesTheFirst() {
      LoadResult result =
          loadAll(
              InMemoryTree.of("a/fleet.yaml", FLEET)
                  .put(
                      "b/other.yaml",
                      "# another\n" + MINIMAL.replace("name: fleet", "name: other")));

      assertFindings(
          result,
          at(
              "b/other.yaml:3:7",
              "a second Rollout \"other\": a repository has at most one (the first, \"fleet\", is"
                  + " at a/fleet.yaml:2)"));
      assertThat(result.manifests().rollout().orElseThrow().name()).isEqualTo("fleet");
    }

    @Test
    void aSecondRolloutInTheSameFileIsAnErrorToo() {
      LoadResult result = load(FLEET + "---\n" + MINIMAL);

      assertFindings(
          result,
          at(
              "rollout.yaml:22:7",
              "a second Rollout \"fleet\": a repository has at most one (the first, \"fleet\", is"
                  + " at rollout.yaml:2)"));
    }
  }

  /** A change of the fleet rollout that is still valid: the bounds themselves are allowed. */
  static Stream<Arguments> valid() {
    return Stream.of(
        arguments("soak: 10m", "soak: 720h"),
        arguments("soak: 10m", "soak: 0s"),
        arguments("timeout: 5s", "timeout: 60s"),
        arguments("timeout: 5s", "timeout: 1ms"),
        arguments("applyJitter: 2m", "applyJitter: 24h"),
        arguments("applyJitter: 2m", "applyJitter: 0s"),
        arguments("duration: 4h", "duration: 168h"),
        arguments("duration: 4h", "duration: 1s"),
        arguments("http://prometheus.example:9090", "https://prometheus.example/prom/"),
        arguments("http://prometheus.example:9090", "HTTP://[fd00::1]:9090"),
        arguments("timeZone: Europe/Berlin", "timeZone: UTC"),
        arguments("0 0 2 ? * SAT", "0 30 22 ? * MON-FRI 2026"),
        arguments("{wave: early, soak: 30m}", "{wave: canary, soak: 30m}"),
        arguments(
            "actions: [restart, rebuild, remove]",
            "actions: [create, rebuild, restart, reload, live, start, stop, remove]"),
        arguments(
            "{matchLabels: {wave: early}}",
            "{matchExpressions: [{key: berth.dev/wave, operator: In, values: [early]}]}"),
        arguments("- name: rest\n", "- name: rest\n      selector: {}\n"));
  }

  @ParameterizedTest
  @MethodSource
  void valid(String fragment, String replacement) {
    assertFindings(load(fleetWith(fragment, replacement)));
  }

  /** A change of the fleet rollout and the one finding it gives. */
  static Stream<Arguments> invalid() {
    return Stream.of(
        // several waves and nothing to read the fleet with
        arguments(
            "  gate: {prometheus: {url: \"http://prometheus.example:9090\", timeout: 5s}}\n",
            "",
            at("rollout.yaml:6:3", "spec: has waves that wait for earlier ones but no gate")),
        // names
        arguments(
            "name: fleet",
            "name: Fleet",
            at("rollout.yaml:4:9", "metadata.name: \"Fleet\" is not a valid rollout name")),
        arguments(
            "name: rest",
            "name: Rest",
            at("rollout.yaml:11:13", "spec.waves[2].name: \"Rest\" is not a valid wave name")),
        arguments(
            "name: rest",
            "name: " + "r".repeat(64),
            at("rollout.yaml:11:13", "is not a valid wave name: use at most 63 lowercase")),
        arguments(
            "name: rest",
            "name: canary",
            at(
                "rollout.yaml:11:13",
                "spec.waves[2].name: wave \"canary\" is defined twice (first at spec.waves[0])")),
        // order
        arguments(
            "{wave: canary, soak: 10m}",
            "{wave: rest, soak: 10m}",
            at(
                "rollout.yaml:10:21",
                "spec.waves[1].after.wave: \"rest\" is not an earlier wave (those are canary)")),
        arguments(
            "{wave: canary, soak: 10m}",
            "{wave: early, soak: 10m}",
            at("rollout.yaml:10:21", "spec.waves[1].after.wave: \"early\" is not an earlier wave")),
        arguments(
            "{wave: early, soak: 30m}",
            "{wave: later, soak: 30m}",
            at(
                "rollout.yaml:12:21",
                "spec.waves[2].after.wave: \"later\" is not an earlier wave (those are canary,"
                    + " early)")),
        arguments(
            "{name: canary, selector: {matchLabels: {wave: canary}}}",
            "{name: canary, selector: {matchLabels: {wave: canary}}, after: {wave: rest}}",
            at(
                "rollout.yaml:7:70",
                "spec.waves[0].after: the first wave goes first and waits for none; remove"
                    + " after")),
        arguments(
            "      after: {wave: canary, soak: 10m}\n",
            "",
            at(
                "rollout.yaml:8:13",
                "spec.waves[1]: every wave but the first needs after: the earlier wave it waits"
                    + " for")),
        arguments(
            "      selector: {matchLabels: {wave: early}}\n",
            "",
            at(
                "rollout.yaml:8:13",
                "spec.waves[1]: only the last wave may leave out selector: this one would take"
                    + " every host left, none for the waves after it")),
        arguments(
            "selector: {matchLabels: {wave: early}}",
            "selector: {}",
            at(
                "rollout.yaml:9:17",
                "spec.waves[1].selector: an empty selector matches every host: only the last wave"
                    + " may take every host left")),
        arguments(
            "waves:\n    - {name: canary, selector: {matchLabels: {wave: canary}}}\n"
                + "    - name: early\n      selector: {matchLabels: {wave: early}}\n"
                + "      after: {wave: canary, soak: 10m}\n"
                + "    - name: rest\n      after: {wave: early, soak: 30m}\n",
            "waves: []\n",
            at("rollout.yaml:6:10", "spec.waves: must have at least 1 items but found 0")),
        // selectors, as placement's
        arguments(
            "{matchLabels: {wave: early}}",
            "{matchLabels: {\"wave/\": early}}",
            at(
                "rollout.yaml:9:31",
                "spec.waves[1].selector.matchLabels: \"wave/\" is not a label key")),
        arguments(
            "{matchLabels: {wave: early}}",
            "{matchExpressions: [{key: wave, operator: In}]}",
            at("rollout.yaml:9:37", "spec.waves[1].selector.matchExpressions[0]: In needs values")),
        // bounds
        arguments(
            "soak: 10m",
            "soak: 720h1s",
            at(
                "rollout.yaml:10:35",
                "spec.waves[1].after.soak: 720h1s is longer than the 720h berth allows")),
        arguments(
            "timeout: 5s",
            "timeout: 0s",
            at("rollout.yaml:13:71", "spec.gate.prometheus.timeout: must be more than 0s")),
        arguments(
            "timeout: 5s",
            "timeout: 61s",
            at(
                "rollout.yaml:13:71",
                "spec.gate.prometheus.timeout: 1m1s is longer than the 1m berth allows")),
        arguments(
            "applyJitter: 2m",
            "applyJitter: 24h1m",
            at(
                "rollout.yaml:14:16",
                "spec.applyJitter: 24h1m is longer than the 24h berth allows")),
        arguments(
            "duration: 4h",
            "duration: 0s",
            at("rollout.yaml:16:41", "spec.windows[0].duration: must be more than 0s")),
        arguments(
            "duration: 4h",
            "duration: 169h",
            at(
                "rollout.yaml:16:41",
                "spec.windows[0].duration: 169h is longer than the 168h berth allows")),
        // the gate's URL
        arguments(
            "http://prometheus.example:9090",
            "ftp://prometheus.example",
            at(
                "rollout.yaml:13:28",
                "spec.gate.prometheus.url: \"ftp://prometheus.example\" is not an http or https"
                    + " URL")),
        arguments(
            "http://prometheus.example:9090",
            "prometheus.example:9090",
            at("rollout.yaml:13:28", "is not an http or https URL")),
        arguments(
            "http://prometheus.example:9090",
            "http:///api",
            at("rollout.yaml:13:28", "spec.gate.prometheus.url: \"http:///api\" names no host")),
        arguments(
            "http://prometheus.example:9090",
            "http://admin:secret@prometheus.example:9090",
            at(
                "rollout.yaml:13:28",
                "spec.gate.prometheus.url: must not hold user info: berth does not send"
                    + " credentials to the gate")),
        arguments(
            "http://prometheus.example:9090",
            "http://prometheus.example:9090/?query=up",
            at(
                "rollout.yaml:13:28",
                "spec.gate.prometheus.url: must not have a query or fragment")),
        arguments(
            "http://prometheus.example:9090",
            "http://prometheus.example:9090#graph",
            at(
                "rollout.yaml:13:28",
                "spec.gate.prometheus.url: must not have a query or fragment")),
        // windows
        arguments(
            "0 0 2 ? * SAT",
            "0 0 2 * * SAT",
            at(
                "rollout.yaml:16:14",
                "spec.windows[0].cron: \"0 0 2 * * SAT\" is not a Quartz cron expression: Support"
                    + " for specifying both a day-of-week AND a day-of-month parameter is not"
                    + " implemented.")),
        arguments(
            "0 0 2 ? * SAT",
            "every saturday",
            at(
                "rollout.yaml:16:14",
                "spec.windows[0].cron: \"every saturday\" is not a Quartz cron expression: Illegal characters for this position")),
        arguments(
            "actions: [restart, rebuild, remove]",
            "actions: [restart, rebuild, restart]",
            at("rollout.yaml:16:98", "spec.windows[0].actions[2]: \"restart\" is listed twice")),
        arguments(
            "actions: [restart, rebuild, remove]",
            "actions: [restart, reboot]",
            at(
                "rollout.yaml:16:89",
                "spec.windows[0].actions[1]: must be one of [\"create\", \"rebuild\"")),
        arguments(
            "actions: [restart, rebuild, remove]",
            "actions: [none]",
            at("rollout.yaml:16:80", "spec.windows[0].actions[0]: must be one of")),
        // promotions
        arguments(
            "{wave: early, until:",
            "{wave: late, until:",
            at("rollout.yaml:19:14", "spec.promote[0].wave: no wave \"late\" in spec.waves")));
  }

  @ParameterizedTest
  @MethodSource
  void invalid(String fragment, String replacement, Expected expected) {
    assertFindings(load(fleetWith(fragment, replacement)), expected);
  }

  @Test
  void everyBrokenRuleOfOneRolloutIsReported() {
    LoadResult result =
        load(
            fleetWith("soak: 10m", "soak: 800h")
                .replace("timeout: 5s", "timeout: 2m")
                .replace("{wave: early, until:", "{wave: late, until:"));

    assertFindings(
        result,
        at("rollout.yaml:10:35", "spec.waves[1].after.soak: 800h is longer"),
        at("rollout.yaml:13:71", "spec.gate.prometheus.timeout: 2m is longer"),
        at("rollout.yaml:19:14", "spec.promote[0].wave: no wave \"late\""));
  }

  @Nested
  class Schema {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private JsonNode crd(String file) throws IOException {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream("berth/crds/" + file)) {
        return yaml.readTree(in)
            .path("spec")
            .path("versions")
            .path(0)
            .path("schema")
            .path("openAPIV3Schema");
      }
    }

    @Test
    void aWaveSelectorIsTheContainerPlacementSelector() throws IOException {
      JsonNode wave =
          crd("berth.dev_rollouts.yaml")
              .at("/properties/spec/properties/waves/items/properties/selector/properties");
      JsonNode placement =
          crd("berth.dev_containers.yaml")
              .at("/properties/spec/properties/placement/properties/selector/properties");

      assertThat(wave.isObject()).isTrue();
      assertThat(wave).isEqualTo(placement);
    }

    @Test
    void theWindowActionsAreThePlanClassesThatActOnAContainer() throws IOException {
      JsonNode actions =
          crd("berth.dev_rollouts.yaml")
              .at("/properties/spec/properties/windows/items/properties/actions/items/enum");
      List<String> written = new ArrayList<>();
      actions.forEach(action -> written.add(action.asText()));
      // write, update, conflict and none do nothing to a running container: none is held.
      EnumSet<ActionClass> held =
          EnumSet.complementOf(
              EnumSet.of(
                  ActionClass.WRITE, ActionClass.UPDATE, ActionClass.CONFLICT, ActionClass.NONE));

      assertThat(written)
          .containsExactlyElementsOf(
              Arrays.stream(ActionClass.values())
                  .filter(held::contains)
                  .map(ActionClass::label)
                  .toList());
    }
  }
}
