package dev.berth.reconciler.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.ObjectMeta;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.model.ZoneSpec;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Turns a schema-valid document tree into the model's records. */
final class ResourceBinder {
  private final ObjectMapper mapper =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // Raw nspawn settings may be one string or a list of strings.
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          .build();
  private final RolloutBinder rollouts = new RolloutBinder(mapper);
  // Each reader fetches its type's deserializer when it is made (Jackson's eager fetch), so the
  // model is introspected as the loader is made: in a CLI run, while the CRD schemas are made on
  // another thread, instead of by the first documents after them (README, "CLI start").
  private final ObjectReader metadata = mapper.readerFor(ObjectMeta.class);
  private final ObjectReader containerSpecs = mapper.readerFor(ContainerSpec.class);
  private final ObjectReader zoneSpecs = mapper.readerFor(ZoneSpec.class);

  Container container(JsonNode root) throws JsonProcessingException {
    return new Container(meta(root), bind(root, "spec", containerSpecs));
  }

  Zone zone(JsonNode root) throws JsonProcessingException {
    JsonNode spec = root.get("spec");
    ZoneSpec zoneSpec =
        spec == null || spec.isNull()
            ? new ZoneSpec(null, null, null)
            : bind(root, "spec", zoneSpecs);
    return new Zone(meta(root), zoneSpec);
  }

  Rollout rollout(JsonNode root) throws JsonProcessingException {
    return new Rollout(meta(root), rollouts.spec(root.get("spec")));
  }

  private ObjectMeta meta(JsonNode root) throws JsonProcessingException {
    return bind(root, "metadata", metadata);
  }

  /** Binds one field of the document; a failure's path starts at the document's root. */
  private <T> T bind(JsonNode root, String field, ObjectReader reader)
      throws JsonProcessingException {
    JsonNode value = root.get(field);
    if (value == null) {
      return null;
    }
    try {
      return reader.readValue(value);
    } catch (JsonMappingException e) {
      throw JsonMappingException.wrapWithPath(e, root, field);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("reading a tree does no I/O", e);
    }
  }
}
