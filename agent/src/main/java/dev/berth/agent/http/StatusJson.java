package dev.berth.agent.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventJournal;
import dev.berth.agent.events.EventType;
import dev.berth.agent.status.AgentStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The JSON form of {@link AgentStatus} and of the events: times as ISO-8601 strings ({@code
 * 2024-05-01T12:00:00Z}, {@code PT1.5S}). jackson-datatype-jsr310 is not on the class path and two
 * string mappings do not justify a dependency.
 */
final class StatusJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(isoTimes())
          .enable(SerializationFeature.INDENT_OUTPUT)
          // A newer agent may add fields; an older CLI still reads the ones it knows.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private StatusJson() {}

  static byte[] write(AgentStatus status) {
    try {
      return MAPPER.writeValueAsBytes(status);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the status as JSON", e);
    }
  }

  static AgentStatus read(String json) throws JsonProcessingException {
    return MAPPER.readValue(json, AgentStatus.class);
  }

  /** The events API's document: {@code latest}, {@code dropped} and the {@code events}. */
  static byte[] write(EventJournal.Page events) {
    try {
      return MAPPER.writeValueAsBytes(events);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the events as JSON", e);
    }
  }

  static EventJournal.Page readEvents(String json) throws JsonProcessingException {
    return MAPPER.readValue(json, EventJournal.Page.class);
  }

  /** One event on one line, as {@code berth events -f --output json} prints them. */
  static String line(AgentEvent event) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an event as JSON", e);
    }
  }

  private static SimpleModule isoTimes() {
    SimpleModule module = new SimpleModule("berth-iso-times");
    module.addSerializer(Instant.class, ToStringSerializer.instance);
    module.addSerializer(Duration.class, ToStringSerializer.instance);
    module.addDeserializer(Instant.class, new FromString<>(Instant.class, Instant::parse));
    module.addDeserializer(Duration.class, new FromString<>(Duration.class, Duration::parse));
    module.addSerializer(EventType.class, ToStringSerializer.instance);
    module.addDeserializer(
        EventType.class,
        new FromString<>(EventType.class, label -> EventType.of(label).orElseThrow()));
    return module;
  }

  /** Reads a value from its ISO string; a malformed one is a JSON mapping error, not a crash. */
  private static final class FromString<T> extends JsonDeserializer<T> {
    private final Class<T> type;
    private final Function<String, T> parse;

    FromString(Class<T> type, Function<String, T> parse) {
      this.type = type;
      this.parse = parse;
    }

    @Override
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      String text = parser.getValueAsString();
      try {
        return parse.apply(text);
      } catch (RuntimeException e) {
        return type.cast(context.handleWeirdStringValue(type, text, "not an ISO-8601 value"));
      }
    }
  }
}
