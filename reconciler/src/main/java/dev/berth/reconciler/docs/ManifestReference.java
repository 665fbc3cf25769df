package dev.berth.reconciler.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.reconciler.validate.CrdSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes {@code docs/manifest-reference.md} from the CustomResourceDefinitions in {@code
 * crd-schemas/}: one table per kind, a row per field with its type, whether it is required, its
 * allowed values and its description. Generated, so that the reference cannot drift from the schema
 * berth validates with.
 */
public final class ManifestReference {
  /** How to regenerate the file; the staleness test says it. */
  public static final String REGENERATE =
      "mvn -B -ntp -pl reconciler -am test -Dtest=ManifestReferenceTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dberth.updateReference=true";

  private static final List<String> CRDS =
      List.of(
          "berth.dev_containers.yaml",
          "berth.dev_zones.yaml",
          "berth.dev_rollouts.yaml",
          "berth.dev_agentconfigs.yaml");

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /** The Markdown text. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# Manifest reference (`").append(CrdSchemas.API_VERSION).append("`)\n\n");
    out.append("<!-- Generated from crd-schemas/*.yaml by ")
        .append(ManifestReference.class.getName())
        .append("; do not edit. Regenerate: ")
        .append(REGENERATE)
        .append(" -->\n\n");
    out.append(
        "Every kind below is a CustomResourceDefinition in [`crd-schemas/`](../crd-schemas/), the"
            + " schema berth validates with at runtime. berth validates strictly: a field that is"
            + " not listed here is an error, as with `kubeconform -strict`. A path `a.b[].c` is"
            + " field `c` of each item of the list `a.b`. `Container`, `Zone` and `Rollout` live"
            + " in the manifest repository; `AgentConfig` is the agent's own file"
            + " (`/etc/berth/agent.yaml`).\n\n");
    List<JsonNode> crds = CRDS.stream().map(this::read).toList();
    for (JsonNode crd : crds) {
      String kind = crd.path("spec").path("names").path("kind").asText();
      out.append("- [").append(kind).append("](#").append(kind.toLowerCase()).append(")\n");
    }
    for (int i = 0; i < crds.size(); i++) {
      kind(out, crds.get(i), CRDS.get(i));
    }
    return out.toString();
  }

  /** The fields (by path, per CRD file) that have no description. */
  public List<String> undescribed() {
    List<String> missing = new ArrayList<>();
    for (String file : CRDS) {
      JsonNode schema = openApi(read(file));
      List<Row> rows = new ArrayList<>();
      fields(rows, schema, "", Set.of());
      rows.stream()
          .filter(row -> row.description.isEmpty())
          .forEach(row -> missing.add(file + ": " + row.path));
    }
    return missing;
  }

  private void kind(StringBuilder out, JsonNode crd, String file) {
    String kind = crd.path("spec").path("names").path("kind").asText();
    JsonNode schema = openApi(crd);
    out.append("\n## ").append(kind).append("\n\n");
    out.append(oneLine(schema.path("description").asText())).append(' ');
    out.append("Schema: [`crd-schemas/").append(file).append("`](../crd-schemas/").append(file);
    out.append(").\n\n");
    out.append("| field | type | required | description |\n|---|---|---|---|\n");
    List<Row> rows = new ArrayList<>();
    fields(rows, schema, "", Set.of());
    for (Row row : rows) {
      out.append("| `").append(row.path).append("` | ").append(cell(row.type)).append(" | ");
      out.append(row.required ? "yes" : "").append(" | ").append(cell(row.description));
      out.append(" |\n");
    }
  }

  private void fields(List<Row> rows, JsonNode schema, String prefix, Set<String> required) {
    JsonNode properties = schema.path("properties");
    Set<String> requiredHere = new TreeSet<>();
    schema.path("required").forEach(name -> requiredHere.add(name.asText()));
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      JsonNode node = field.getValue();
      if (path.equals("metadata")) {
        node = CrdSchemas.objectMetaSchema().put("description", "The object's metadata.");
      }
      rows.add(
          new Row(
              path,
              type(node),
              requiredHere.contains(field.getKey()),
              oneLine(node.path("description").asText())));
      descend(rows, node, path);
    }
  }

  private void descend(List<Row> rows, JsonNode node, String path) {
    if (node.has("properties")) {
      fields(rows, node, path, Set.of());
    }
    JsonNode items = node.path("items");
    if (items.has("properties")) {
      fields(rows, items, path + "[]", Set.of());
    }
  }

  /** The type column: the JSON type in words, with its constraints. */
  static String type(JsonNode node) {
    List<String> parts = new ArrayList<>();
    parts.add(typeName(node));
    if (node.has("enum")) {
      List<String> values = new ArrayList<>();
      node.path("enum").forEach(value -> values.add("`" + value.asText() + "`"));
      parts.add("one of " + String.join(", ", values));
    }
    if (node.path("items").has("enum")) {
      List<String> values = new ArrayList<>();
      node.path("items").path("enum").forEach(value -> values.add("`" + value.asText() + "`"));
      parts.add("each one of " + String.join(", ", values));
    }
    if (node.has("default")) {
      parts.add("default `" + node.path("default").asText() + "`");
    }
    if (node.has("pattern")) {
      parts.add("matching `" + node.path("pattern").asText() + "`");
    }
    if (node.has("minimum")) {
      parts.add("at least " + node.path("minimum").asText());
    }
    if (node.has("minLength")) {
      parts.add("not empty");
    }
    if (node.has("minItems")) {
      parts.add("at least " + node.path("minItems").asText() + " item");
    }
    if (node.has("maxProperties") && node.path("maxProperties").asInt() == 1) {
      parts.add(node.has("minProperties") ? "exactly one field" : "at most one field");
    }
    return String.join("; ", parts);
  }

  private static String typeName(JsonNode node) {
    if (node.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return "integer or string";
    }
    if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return "string or list of strings";
    }
    String type = node.path("type").asText("any");
    return switch (type) {
      case "array" -> "list of " + typeName(node.path("items"));
      case "object" -> {
        JsonNode additional = node.path("additionalProperties");
        yield additional.isObject() && !node.has("properties")
            ? "map of string to " + typeName(additional)
            : "object";
      }
      default -> type;
    };
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\n\\s*", " ");
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  private static JsonNode openApi(JsonNode crd) {
    return crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
  }

  private JsonNode read(String file) {
    try (InputStream in =
        ManifestReference.class.getClassLoader().getResourceAsStream("berth/crds/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing berth/crds/" + file + " on the class path");
      }
      return yaml.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Row(String path, String type, boolean required, String description) {}
}
