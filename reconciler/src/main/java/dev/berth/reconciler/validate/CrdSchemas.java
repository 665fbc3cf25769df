package dev.berth.reconciler.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The JSON Schemas of the API's kinds, made from the CustomResourceDefinitions in {@code
 * crd-schemas/} — the only schema source.
 *
 * <p>A CRD's structural schema is loose where Kubernetes prunes; berth validates strictly instead:
 * every object that lists its properties refuses others (like {@code kubeconform -strict}), {@code
 * x-kubernetes-int-or-string} means an integer or a string, and {@code metadata} gets the
 * ObjectMeta fields berth reads.
 */
public final class CrdSchemas {
  public static final String API_VERSION = "berth.dev/v1alpha1";

  /** The kinds a manifest repository holds. */
  public static final List<String> MANIFEST_CRDS =
      List.of("berth.dev_containers.yaml", "berth.dev_zones.yaml", "berth.dev_rollouts.yaml");

  /** The agent's own configuration file. */
  public static final List<String> AGENT_CONFIG_CRDS = List.of("berth.dev_agentconfigs.yaml");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, JsonSchema> byKind;
  private final Map<String, ObjectNode> strictByKind;
  private volatile String digest;

  private CrdSchemas(Map<String, JsonSchema> byKind, Map<String, ObjectNode> strictByKind) {
    this.byKind = byKind;
    this.strictByKind = strictByKind;
  }

  /**
   * The manifest kinds' schemas, from the CRDs the crd-schemas module puts on the class path: made
   * once per JVM (the class path does not change), by the first caller or by {@link
   * #startLoading()}'s thread, whose result the caller then waits for.
   */
  public static CrdSchemas load() {
    Bundled.MANIFESTS.run();
    try {
      return Bundled.MANIFESTS.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the CRD schemas were made", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Starts making {@link #load()}'s schemas on a thread of their own, so that a command line's
   * start (picocli, reading the manifests) overlaps it; does nothing once they are being made.
   */
  public static void startLoading() {
    Thread thread = new Thread(Bundled.MANIFESTS, "berth-crd-schemas");
    thread.setDaemon(true);
    thread.start();
  }

  /** The manifest kinds' schemas, made at most once: {@link FutureTask#run()} runs only once. */
  private static final class Bundled {
    static final FutureTask<CrdSchemas> MANIFESTS = new FutureTask<>(() -> load(MANIFEST_CRDS));
  }

  /** The schemas of the named CRD files under {@code berth/crds/} on the class path. */
  public static CrdSchemas load(List<String> crdFiles) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .failFast(false)
            .pathType(com.networknt.schema.PathType.JSON_POINTER)
            .build();
    Map<String, JsonSchema> byKind = new LinkedHashMap<>();
    Map<String, ObjectNode> strictByKind = new LinkedHashMap<>();
    for (String file : crdFiles) {
      JsonNode crd = read(yaml, "berth/crds/" + file);
      String kind = crd.path("spec").path("names").path("kind").asText();
      JsonNode version = crd.path("spec").path("versions").path(0);
      JsonNode openApi = version.path("schema").path("openAPIV3Schema");
      if (kind.isEmpty() || !openApi.isObject()) {
        throw new IllegalStateException("CRD " + file + " has no kind or openAPIV3Schema");
      }
      ObjectNode schema = strict(openApi.deepCopy());
      ((ObjectNode) schema.get("properties")).set("metadata", objectMetaSchema());
      JsonSchema compiled = factory.getSchema(schema, config);
      // Every validator made now, none on first use: loads validate on several threads at once.
      compiled.initializeValidators();
      byKind.put(kind, compiled);
      strictByKind.put(kind, schema);
    }
    return new CrdSchemas(byKind, strictByKind);
  }

  /**
   * The SHA-256 of the kinds and their strict schemas: what was checked against schemas of one
   * digest holds for every schemas of that digest. Made on first use: only a cache needs it.
   */
  public String digest() {
    String made = digest;
    if (made == null) {
      MessageDigest sha256 = sha256();
      strictByKind.forEach(
          (kind, schema) ->
              sha256.update((kind + "\n" + schema + "\n").getBytes(StandardCharsets.UTF_8)));
      made = HexFormat.of().formatHex(sha256.digest());
      digest = made;
    }
    return made;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public boolean knowsKind(String kind) {
    return byKind.containsKey(kind);
  }

  public Iterable<String> kinds() {
    return byKind.keySet();
  }

  JsonSchema schemaOf(String kind) {
    return byKind.get(kind);
  }

  private static JsonNode read(ObjectMapper yaml, String resource) {
    try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource + " on the class path");
      }
      return yaml.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode strict(ObjectNode schema) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      schema.set("type", NODES.arrayNode().add("integer").add("string"));
    }
    boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
      if (names.next().startsWith("x-kubernetes-")) {
        names.remove();
      }
    }
    schema.remove("nullable");
    JsonNode properties = schema.get("properties");
    if (properties instanceof ObjectNode props) {
      props.fields().forEachRemaining(field -> strict((ObjectNode) field.getValue()));
      if (!schema.has("additionalProperties") && !preserveUnknown) {
        schema.put("additionalProperties", false);
      }
    }
    if (schema.get("additionalProperties") instanceof ObjectNode additional) {
      strict(additional);
    }
    if (schema.get("items") instanceof ObjectNode items) {
      strict(items);
    }
    return schema;
  }

  /**
   * The schema of {@code metadata}, which the CRDs leave open (Kubernetes owns ObjectMeta): the
   * fields berth reads, and no others.
   */
  public static ObjectNode objectMetaSchema() {
    ObjectNode stringMap = NODES.objectNode().put("type", "object");
    stringMap.set("additionalProperties", NODES.objectNode().put("type", "string"));
    ObjectNode properties = NODES.objectNode();
    properties.set(
        "name",
        NODES
            .objectNode()
            .put("type", "string")
            .put("minLength", 1)
            .put(
                "description",
                "The object's name; a Container's is its machine name, a Zone's the bridge"
                    + " vz-NAME."));
    properties.set(
        "labels",
        stringMap
            .deepCopy()
            .put("description", "Labels, as in Kubernetes; berth does not interpret them."));
    properties.set(
        "annotations",
        stringMap
            .deepCopy()
            .put(
                "description",
                "Annotations; berth.dev/adopt: \"true\" lets berth take over a machine it did not"
                    + " create."));
    ArrayNode required = NODES.arrayNode().add("name");
    ObjectNode meta = NODES.objectNode().put("type", "object");
    meta.set("required", required);
    meta.set("properties", properties);
    meta.put("additionalProperties", false);
    return meta;
  }
}
