package dev.berth.reconciler.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.reconciler.model.LabelSelector;
import dev.berth.reconciler.model.RolloutSpec;
import dev.berth.reconciler.model.RolloutSpec.After;
import dev.berth.reconciler.model.RolloutSpec.MaintenanceWindow;
import dev.berth.reconciler.model.RolloutSpec.PrometheusGate;
import dev.berth.reconciler.model.RolloutSpec.Promotion;
import dev.berth.reconciler.model.RolloutSpec.Wave;
import dev.berth.reconciler.parse.DurationText;
import dev.berth.reconciler.parse.FieldPath;
import java.io.Closeable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the {@code spec} of a schema-valid Rollout into a {@link RolloutSpec}, reading the strings
 * the model holds as values: durations ({@link DurationText}), the gate's URL, time zones and RFC
 * 3339 instants. A string that is none of these fails with its path, as Jackson's own failures do;
 * the limits of the values read are {@code RolloutRules}'s.
 */
final class RolloutBinder {
  /** A gate's query timeout when the manifest names none. */
  static final Duration DEFAULT_GATE_TIMEOUT = Duration.ofSeconds(5);

  private static final FieldPath SPEC = FieldPath.of("spec");

  /** RFC 3339's date-time (section 5.6): seconds required, a fraction and an offset allowed. */
  private static final Pattern RFC_3339 =
      Pattern.compile(
          "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$",
          Pattern.CASE_INSENSITIVE);

  private final ObjectMapper mapper;

  RolloutBinder(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  RolloutSpec spec(JsonNode spec) throws JsonProcessingException {
    List<Wave> waves = new ArrayList<>();
    JsonNode waveNodes = spec.path("waves");
    for (int i = 0; i < waveNodes.size(); i++) {
      waves.add(wave(waveNodes.get(i), SPEC.field("waves").item(i)));
    }
    Optional<PrometheusGate> gate = Optional.empty();
    if (spec.has("gate")) {
      gate = Optional.of(prometheus(spec.path("gate").path("prometheus")));
    }
    List<MaintenanceWindow> windows = new ArrayList<>();
    JsonNode windowNodes = spec.path("windows");
    for (int i = 0; i < windowNodes.size(); i++) {
      windows.add(window(windowNodes.get(i), SPEC.field("windows").item(i)));
    }
    List<Promotion> promote = new ArrayList<>();
    JsonNode promoteNodes = spec.path("promote");
    for (int i = 0; i < promoteNodes.size(); i++) {
      JsonNode promotion = promoteNodes.get(i);
      FieldPath at = SPEC.field("promote").item(i);
      promote.add(
          new Promotion(
              promotion.path("wave").asText(),
              instant(promotion.path("until").asText(), at.field("until"))));
    }
    return new RolloutSpec(
        waves,
        gate,
        duration(spec, "applyJitter", SPEC).orElse(Duration.ZERO),
        windows,
        spec.path("halt").asBoolean(false),
        promote);
  }

  private Wave wave(JsonNode wave, FieldPath at) throws JsonProcessingException {
    Optional<LabelSelector> selector = Optional.empty();
    if (wave.has("selector")) {
      try {
        selector = Optional.of(mapper.treeToValue(wave.get("selector"), LabelSelector.class));
      } catch (JsonMappingException e) {
        throw withPath(e, at.field("selector"));
      }
    }
    Optional<After> after = Optional.empty();
    if (wave.has("after")) {
      JsonNode node = wave.get("after");
      after =
          Optional.of(
              new After(
                  node.path("wave").asText(),
                  duration(node, "soak", at.field("after")).orElse(Duration.ZERO)));
    }
    return new Wave(wave.path("name").asText(), selector, after);
  }

  private static PrometheusGate prometheus(JsonNode prometheus) throws JsonMappingException {
    FieldPath at = SPEC.field("gate").field("prometheus");
    String url = prometheus.path("url").asText();
    try {
      return new PrometheusGate(
          new URI(url), duration(prometheus, "timeout", at).orElse(DEFAULT_GATE_TIMEOUT));
    } catch (URISyntaxException e) {
      throw unreadable(at.field("url"), "\"" + url + "\" is not a URL: " + e.getReason());
    }
  }

  private static MaintenanceWindow window(JsonNode window, FieldPath at)
      throws JsonMappingException {
    ZoneId timeZone = null;
    if (window.has("timeZone")) {
      timeZone = timeZone(window.get("timeZone").asText(), at.field("timeZone"));
    }
    Set<String> actions = new LinkedHashSet<>();
    window.path("actions").forEach(action -> actions.add(action.asText()));
    return new MaintenanceWindow(
        window.path("cron").asText(),
        timeZone,
        duration(window, "duration", at).orElseThrow(),
        actions);
  }

  /** The duration at {@code parent.field}, if the document writes one. */
  private static Optional<Duration> duration(JsonNode parent, String field, FieldPath at)
      throws JsonMappingException {
    if (!parent.has(field)) {
      return Optional.empty();
    }
    try {
      return Optional.of(DurationText.parse(parent.get(field).asText()));
    } catch (IllegalArgumentException e) {
      throw unreadable(at.field(field), e.getMessage());
    }
  }

  /** An IANA time zone name; offsets such as {@code +01:00} are not one. */
  private static ZoneId timeZone(String name, FieldPath at) throws JsonMappingException {
    if (!ZoneId.getAvailableZoneIds().contains(name)) {
      throw unreadable(
          at, "\"" + name + "\" is not an IANA time zone, such as Europe/Berlin or UTC");
    }
    return ZoneId.of(name);
  }

  private static Instant instant(String text, FieldPath at) throws JsonMappingException {
    String reason = "\"" + text + "\" is not an RFC 3339 instant, such as 2026-12-02T18:00:00Z";
    if (!RFC_3339.matcher(text).matches()) {
      throw unreadable(at, reason);
    }
    try {
      return OffsetDateTime.parse(
              text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeParseException e) {
      throw unreadable(at, reason); // such as February 30th
    }
  }

  private static JsonMappingException unreadable(FieldPath at, String reason) {
    return withPath(new JsonMappingException((Closeable) null, reason), at);
  }

  /** {@code e} with {@code at} before its own path, which starts at the node {@code at} names. */
  private static JsonMappingException withPath(JsonMappingException e, FieldPath at) {
    List<Object> segments = at.segments();
    for (int i = segments.size() - 1; i >= 0; i--) {
      Object segment = segments.get(i);
      e.prependPath(
          segment instanceof Integer index
              ? new JsonMappingException.Reference(null, index)
              : new JsonMappingException.Reference(null, (String) segment));
    }
    return e;
  }
}
