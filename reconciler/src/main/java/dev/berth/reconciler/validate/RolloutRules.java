package dev.berth.reconciler.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.LabelSelector;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.RolloutSpec;
import dev.berth.reconciler.model.RolloutSpec.After;
import dev.berth.reconciler.model.RolloutSpec.MaintenanceWindow;
import dev.berth.reconciler.model.RolloutSpec.PrometheusGate;
import dev.berth.reconciler.model.RolloutSpec.Wave;
import dev.berth.reconciler.parse.DurationText;
import dev.berth.reconciler.parse.FieldPath;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.quartz.CronExpression;

/**
 * The rules of a Rollout: one per repository; its waves' names and order (the first goes first,
 * each later one waits for an earlier one, only the last may do without a selector); the bounds of
 * its durations; the gate's URL; the windows' cron expressions; what the promotions name.
 */
public final class RolloutRules {
  static final Duration MAX_SOAK = Duration.ofDays(30);
  static final Duration MAX_GATE_TIMEOUT = Duration.ofSeconds(60);
  static final Duration MAX_APPLY_JITTER = Duration.ofHours(24);
  static final Duration MAX_WINDOW = Duration.ofDays(7);

  /** A wave's name may become a label value and a part of a metric: a DNS label's length. */
  static final int MAX_WAVE_NAME = 63;

  private static final FieldPath NAME = FieldPath.of("metadata", "name");
  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final FieldPath WAVES = SPEC.field("waves");
  private static final FieldPath URL = SPEC.field("gate").field("prometheus").field("url");
  private static final FieldPath TIMEOUT = SPEC.field("gate").field("prometheus").field("timeout");

  private RolloutRules() {}

  /**
   * The repository's Rollout: the first of {@code rollouts}; every further one is an error that
   * names where the first is.
   */
  public static Optional<Sourced<Rollout>> theOnly(
      List<Sourced<Rollout>> rollouts, Diagnostics diagnostics) {
    if (rollouts.isEmpty()) {
      return Optional.empty();
    }
    Sourced<Rollout> first = rollouts.get(0);
    for (Sourced<Rollout> extra : rollouts.subList(1, rollouts.size())) {
      diagnostics.error(
          extra.file(),
          extra.mark("kind"),
          "a second Rollout \""
              + extra.value().name()
              + "\": a repository has at most one (the first, \""
              + first.value().name()
              + "\", is at "
              + first.file()
              + ":"
              + first.mark("kind").line()
              + ")");
    }
    return Optional.of(first);
  }

  static void check(Rollout rollout, DocumentFindings findings) {
    if (!Names.isDnsLabel(rollout.name())) {
      findings.error(
          NAME,
          "\""
              + rollout.name()
              + "\" is not a valid rollout name: use lowercase letters, digits and '-', starting"
              + " and ending with a letter or digit");
    }
    RolloutSpec spec = rollout.spec();
    waves(spec.waves(), findings);
    spec.gate().ifPresent(gate -> gate(gate, findings));
    if (spec.gate().isEmpty() && spec.waves().size() > 1) {
      // Without the fleet's state a later wave could only hold forever (docs/rollouts.md).
      findings.error(
          SPEC,
          "has waves that wait for earlier ones but no gate: add gate.prometheus, the server"
              + " that scrapes the agents");
    }
    atMost(spec.applyJitter(), MAX_APPLY_JITTER, SPEC.field("applyJitter"), findings);
    for (int i = 0; i < spec.windows().size(); i++) {
      window(spec.windows().get(i), SPEC.field("windows").item(i), findings);
    }
    Set<String> waveNames = new HashSet<>();
    spec.waves().forEach(wave -> waveNames.add(wave.name()));
    for (int i = 0; i < spec.promote().size(); i++) {
      String wave = spec.promote().get(i).wave();
      if (!waveNames.contains(wave)) {
        findings.error(
            SPEC.field("promote").item(i).field("wave"), "no wave \"" + wave + "\" in spec.waves");
      }
    }
  }

  private static void waves(List<Wave> waves, DocumentFindings findings) {
    // The waves before the one at hand, by name, with where each is.
    Map<String, FieldPath> earlier = new LinkedHashMap<>();
    for (int i = 0; i < waves.size(); i++) {
      Wave wave = waves.get(i);
      FieldPath at = WAVES.item(i);
      waveName(wave.name(), earlier, at.field("name"), findings);
      wave.selector()
          .ifPresent(selector -> PlacementRules.selector(selector, at.field("selector"), findings));
      if (i < waves.size() - 1 && wave.selector().isEmpty()) {
        findings.error(
            at,
            at.field("name"),
            "only the last wave may leave out selector: this one would take every host left,"
                + " none for the waves after it");
      } else if (i < waves.size() - 1 && matchesEveryHost(wave.selector().get())) {
        findings.error(
            at.field("selector"),
            "an empty selector matches every host: only the last wave may take every host left");
      }
      if (i == 0 && wave.after().isPresent()) {
        findings.error(
            at.field("after"), "the first wave goes first and waits for none; remove after");
      } else if (i > 0 && wave.after().isEmpty()) {
        findings.error(
            at,
            at.field("name"),
            "every wave but the first needs after: the earlier wave it waits for");
      } else if (i > 0) {
        after(wave.after().get(), earlier, at.field("after"), findings);
      }
      earlier.putIfAbsent(wave.name(), at);
    }
  }

  private static boolean matchesEveryHost(LabelSelector selector) {
    return selector.matchLabels().isEmpty() && selector.matchExpressions().isEmpty();
  }

  private static void waveName(
      String name, Map<String, FieldPath> earlier, FieldPath at, DocumentFindings findings) {
    if (!Names.isDnsLabel(name) || name.length() > MAX_WAVE_NAME) {
      findings.error(
          at,
          "\""
              + name
              + "\" is not a valid wave name: use at most "
              + MAX_WAVE_NAME
              + " lowercase letters, digits and '-', starting and ending with a letter or digit");
    } else if (earlier.containsKey(name)) {
      findings.error(
          at, "wave \"" + name + "\" is defined twice (first at " + earlier.get(name) + ")");
    }
  }

  private static void after(
      After after, Map<String, FieldPath> earlier, FieldPath at, DocumentFindings findings) {
    if (!earlier.containsKey(after.wave())) {
      findings.error(
          at.field("wave"),
          "\""
              + after.wave()
              + "\" is not an earlier wave"
              + (earlier.isEmpty()
                  ? ""
                  : " (those are " + String.join(", ", earlier.keySet()) + ")"));
    }
    atMost(after.soak(), MAX_SOAK, at.field("soak"), findings);
  }

  private static void gate(PrometheusGate gate, DocumentFindings findings) {
    URI url = gate.url();
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      findings.error(URL, "\"" + url + "\" is not an http or https URL");
    } else if (url.getHost() == null) {
      findings.error(URL, "\"" + url + "\" names no host");
    } else if (url.getRawUserInfo() != null) {
      findings.error(URL, "must not hold user info: berth does not send credentials to the gate");
    } else if (url.getRawQuery() != null || url.getRawFragment() != null) {
      findings.error(URL, "must not have a query or fragment: berth adds the API's path to it");
    }
    if (gate.timeout().isZero()) {
      findings.error(TIMEOUT, "must be more than 0s");
    }
    atMost(gate.timeout(), MAX_GATE_TIMEOUT, TIMEOUT, findings);
  }

  private static void window(MaintenanceWindow window, FieldPath at, DocumentFindings findings) {
    try {
      CronExpression.validateExpression(window.cron());
    } catch (ParseException e) {
      findings.error(
          at.field("cron"),
          "\"" + window.cron() + "\" is not a Quartz cron expression: " + e.getMessage());
    }
    if (window.duration().isZero()) {
      findings.error(at.field("duration"), "must be more than 0s");
    }
    atMost(window.duration(), MAX_WINDOW, at.field("duration"), findings);
    // The model holds a set; a repeated action is written twice, which is the manifest's mistake.
    JsonNode actions = findings.node(at.field("actions"));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < actions.size(); i++) {
      String action = actions.get(i).asText();
      if (!seen.add(action)) {
        findings.error(at.field("actions").item(i), "\"" + action + "\" is listed twice");
      }
    }
  }

  private static void atMost(
      Duration duration, Duration most, FieldPath at, DocumentFindings findings) {
    if (duration.compareTo(most) > 0) {
      findings.error(
          at,
          DurationText.format(duration)
              + " is longer than the "
              + DurationText.format(most)
              + " berth allows");
    }
  }
}
