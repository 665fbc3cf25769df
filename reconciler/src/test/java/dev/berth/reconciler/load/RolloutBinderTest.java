package dev.berth.reconciler.load;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static dev.berth.reconciler.testing.RolloutYaml.FLEET;
import static dev.berth.reconciler.testing.RolloutYaml.MINIMAL;
import static dev.berth.reconciler.testing.RolloutYaml.fleetWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.manifest.ManifestSet;
import dev.berth.reconciler.model.LabelSelector;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.RolloutSpec;
import dev.berth.reconciler.model.RolloutSpec.After;
import dev.berth.reconciler.model.RolloutSpec.MaintenanceWindow;
import dev.berth.reconciler.model.RolloutSpec.PrometheusGate;
import dev.berth.reconciler.model.RolloutSpec.Promotion;
import dev.berth.reconciler.model.RolloutSpec.Wave;
import dev.berth.reconciler.testing.InMemoryTree;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Rollout document as the loader binds it into the model. */
class RolloutBinderTest {

  private static LoadResult load(String manifest) {
    return loadAll(InMemoryTree.of("rollout.yaml", manifest));
  }

  private static RolloutSpec spec(String manifest) {
    LoadResult result = load(manifest);
    assertFindings(result);
    return result.manifests().rollout().orElseThrow().spec();
  }

  private static Optional<LabelSelector> wave(String label) {
    return Optional.of(new LabelSelector(Map.of("wave", label), List.of()));
  }

  @Test
  void everyFieldOfTheFleetRolloutIsBound() {
    LoadResult result = load(FLEET);

    assertFindings(result);
    Rollout rollout = result.manifests().rollout().orElseThrow();
    assertThat(rollout.name()).isEqualTo("fleet");
    assertThat(rollout.spec())
        .isEqualTo(
            new RolloutSpec(
                List.of(
                    new Wave("canary", wave("canary"), Optional.empty()),
                    new Wave(
                        "early",
                        wave("early"),
                        Optional.of(new After("canary", Duration.ofMinutes(10)))),
                    new Wave(
                        "rest",
                        Optional.empty(),
                        Optional.of(new After("early", Duration.ofMinutes(30))))),
                Optional.of(
                    new PrometheusGate(
                        URI.create("http://prometheus.example:9090"), Duration.ofSeconds(5))),
                Duration.ofMinutes(2),
                List.of(
                    new MaintenanceWindow(
                        "0 0 2 ? * SAT",
                        ZoneId.of("Europe/Berlin"),
                        Duration.ofHours(4),
                        Set.of("restart", "rebuild", "remove"))),
                false,
                List.of(new Promotion("early", Instant.parse("2026-12-02T18:00:00Z")))));
  }

  @Test
  void theRolloutKeepsItsDocumentForDiagnostics() {
    ManifestSet set = load(FLEET).manifests();

    assertThat(set.sourcedRollout().orElseThrow().file()).isEqualTo("rollout.yaml");
    assertThat(set.sourcedRollout().orElseThrow().mark("spec", "halt").line()).isEqualTo(17);
  }

  @Test
  void aRepositoryWithoutARolloutHasNone() {
    LoadResult result =
        load(
            """
            apiVersion: berth.dev/v1alpha1
            kind: Zone
            metadata:
              name: demo
            spec: {}
            """);

    assertFindings(result);
    assertThat(result.manifests().rollout()).isEmpty();
    assertThat(new ManifestSet(List.of(), List.of()).sourcedRollout()).isEmpty();
  }

  @Test
  void whatTheMinimalRolloutLeavesOutHasItsDefault() {
    RolloutSpec spec = spec(MINIMAL);

    assertThat(spec.waves()).containsExactly(new Wave("all", Optional.empty(), Optional.empty()));
    assertThat(spec.gate()).isEmpty();
    assertThat(spec.applyJitter()).isZero();
    assertThat(spec.windows()).isEmpty();
    assertThat(spec.halt()).isFalse();
    assertThat(spec.promote()).isEmpty();
  }

  @Test
  void aGateWithoutTimeoutWaitsFiveSeconds() {
    RolloutSpec spec = spec(fleetWith(", timeout: 5s}", "}"));

    assertThat(spec.gate().orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anAfterWithoutSoakSoaksForNoTime() {
    RolloutSpec spec = spec(fleetWith("{wave: canary, soak: 10m}", "{wave: canary}"));

    assertThat(spec.waves().get(1).after()).contains(new After("canary", Duration.ZERO));
  }

  @Test
  void aWindowWithoutTimeZoneAndActionsIsInUtcAndHoldsTheDisruptiveActions() {
    RolloutSpec spec =
        spec(fleetWith(", timeZone: Europe/Berlin, actions: [restart, rebuild, remove]}", "}"));

    MaintenanceWindow window = spec.windows().get(0);
    assertThat(window.timeZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(window.actions()).isEqualTo(Set.of("restart", "rebuild", "remove", "stop"));
  }

  @Test
  void haltTrueIsBound() {
    assertThat(spec(fleetWith("halt: false", "halt: true")).halt()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1h30m | PT1H30M",
        "0s | PT0S",
        "\"0\" | PT0S",
        "90s | PT1M30S",
        "1500ms | PT1.5S",
      })
  void jitterIsReadAsAGoDuration(String written, String expected) {
    assertThat(spec(fleetWith("applyJitter: 2m", "applyJitter: " + written)).applyJitter())
        .isEqualTo(Duration.parse(expected));
  }

  @Test
  void anInstantWithAnOffsetIsReadInUtc() {
    RolloutSpec spec =
        spec(fleetWith("until: \"2026-12-02T18:00:00Z\"", "until: \"2026-12-02T19:00:00+01:00\""));

    assertThat(spec.promote().get(0).until()).isEqualTo(Instant.parse("2026-12-02T18:00:00Z"));
  }

  @Test
  void anUnreadableDurationIsAnErrorAtItsLine() {
    LoadResult result = load(fleetWith("applyJitter: 2m", "applyJitter: 2 minutes"));

    assertFindings(
        result,
        at(
            "rollout.yaml:14:16",
            "spec.applyJitter: cannot read Rollout: \"2 minutes\" is not a duration"));
    assertThat(result.manifests().rollout()).isEmpty();
  }

  @Test
  void aDurationBeyondWhatBerthTakesIsAnErrorNotAnOverflow() {
    LoadResult result = load(fleetWith("soak: 30m", "soak: 99999999999999999999h"));

    assertFindings(
        result,
        at(
            "rollout.yaml:12:34",
            "spec.waves[2].after.soak: cannot read Rollout: \"99999999999999999999h\" is longer"
                + " than berth takes (8784h)"));
  }

  @Test
  void aTimeZoneThatIanaDoesNotNameIsAnError() {
    LoadResult result = load(fleetWith("timeZone: Europe/Berlin", "timeZone: \"+01:00\""));

    assertFindings(
        result,
        at(
            "rollout.yaml:16:55",
            "spec.windows[0].timeZone: cannot read Rollout: \"+01:00\" is not an IANA time zone"));
  }

  @ParameterizedTest
  @CsvSource({"2026-12-02", "2026-12-02T18:00Z", "2026-02-30T18:00:00Z", "tomorrow"})
  void anUntilThatIsNoRfc3339InstantIsAnError(String until) {
    LoadResult result =
        load(fleetWith("until: \"2026-12-02T18:00:00Z\"", "until: \"" + until + "\""));

    assertFindings(
        result,
        at(
            "rollout.yaml:19:28",
            "spec.promote[0].until: cannot read Rollout: \""
                + until
                + "\" is not an RFC 3339 instant"));
  }

  @Test
  void aUrlThatDoesNotParseIsAnError() {
    LoadResult result =
        load(fleetWith("http://prometheus.example:9090", "http://prometheus example:9090"));

    assertFindings(
        result,
        at(
            "rollout.yaml:13:28",
            "spec.gate.prometheus.url: cannot read Rollout: \"http://prometheus example:9090\" is"
                + " not a URL: Illegal character in authority"));
  }
}
