package dev.berth.reconciler.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.ObjectMeta;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.model.ZoneSpec;

/** Turns a schema-valid document tree into the model's records. */
final class ResourceBinder {
  private final ObjectMapper mapper =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // Raw nspawn settings may be one string or a list of strings.
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          .build();

  Container container(JsonNode root) throws JsonProcessingException {
    return new Container(meta(root), mapper.treeToValue(root.get("spec"), ContainerSpec.class));
  }

  Zone zone(JsonNode root) throws JsonProcessingException {
    JsonNode spec = root.get("spec");
    ZoneSpec zoneSpec =
        spec == null || spec.isNull()
            ? new ZoneSpec(null, null, null)
            : mapper.treeToValue(spec, ZoneSpec.class);
    return new Zone(meta(root), zoneSpec);
  }

  private ObjectMeta meta(JsonNode root) throws JsonProcessingException {
    return mapper.treeToValue(root.get("metadata"), ObjectMeta.class);
  }
}
