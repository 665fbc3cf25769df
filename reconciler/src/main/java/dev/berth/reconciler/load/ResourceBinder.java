package dev.berth.reconciler.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.ObjectMeta;
import dev.berth.reconciler.model.Rollout;
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
  private final RolloutBinder rollouts = new RolloutBinder(mapper);

  Container container(JsonNode root) throws JsonProcessingException {
    return new Container(meta(root), bind(root, "spec", ContainerSpec.class));
  }

  Zone zone(JsonNode root) throws JsonProcessingException {
    JsonNode spec = root.get("spec");
    ZoneSpec zoneSpec =
        spec == null || spec.isNull()
            ? new ZoneSpec(null, null, null)
            : bind(root, "spec", ZoneSpec.class);
    return new Zone(meta(root), zoneSpec);
  }

  Rollout rollout(JsonNode root) throws JsonProcessingException {
    return new Rollout(meta(root), rollouts.spec(root.get("spec")));
  }

  private ObjectMeta meta(JsonNode root) throws JsonProcessingException {
    return bind(root, "metadata", ObjectMeta.class);
  }

  /** Binds one field of the document; a failure's path starts at the document's root. */
  private <T> T bind(JsonNode root, String field, Class<T> type) throws JsonProcessingException {
    try {
      return mapper.treeToValue(root.get(field), type);
    } catch (JsonMappingException e) {
      throw JsonMappingException.wrapWithPath(e, root, field);
    }
  }
}
