package dev.berth.reconciler.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.parse.YamlDocument;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks the raw {@code spec.nspawn} settings and writes every value as a list of strings. YAML's
 * {@code yes}/{@code true} become {@code yes}, {@code no}/{@code false} become {@code no}, numbers
 * their text, since that is what a unit file would say.
 */
public final class RawSettingsCheck {
  private static final Pattern SETTING = Pattern.compile("^[A-Z][A-Za-z0-9]*$");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Returns whether the settings are usable; the document's tree is normalised in place. */
  public boolean check(YamlDocument document, Diagnostics diagnostics) {
    JsonNode nspawn = document.root().path("spec").path("nspawn");
    if (!nspawn.isObject()) {
      return true;
    }
    boolean ok = true;
    for (Iterator<Map.Entry<String, JsonNode>> sections = nspawn.fields(); sections.hasNext(); ) {
      Map.Entry<String, JsonNode> section = sections.next();
      if (!(section.getValue() instanceof ObjectNode settings)) {
        continue; // the schema reported it
      }
      List<String> names = new ArrayList<>();
      settings.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        List<Object> path = List.of("spec", "nspawn", section.getKey(), name);
        if (!SETTING.matcher(name).matches()) {
          diagnostics.error(
              document.file(),
              document.keyMark(path),
              "spec.nspawn."
                  + section.getKey()
                  + ": \""
                  + name
                  + "\" is not a setting name (such as PrivateUsers)");
          ok = false;
          continue;
        }
        ArrayNode values = NODES.arrayNode();
        JsonNode value = settings.get(name);
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
          value.forEach(items::add);
        } else {
          items.add(value);
        }
        for (JsonNode item : items) {
          String text = scalar(item);
          if (text == null) {
            diagnostics.error(
                document.file(),
                document.mark(path),
                "spec.nspawn."
                    + section.getKey()
                    + "."
                    + name
                    + ": must be a string or a list of strings");
            ok = false;
            break;
          }
          values.add(text);
        }
        settings.set(name, values);
      }
    }
    return ok;
  }

  private static String scalar(JsonNode node) {
    if (node.isTextual() || node.isNumber()) {
      return node.asText();
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? "yes" : "no";
    }
    return null;
  }
}
