package dev.berth.reconciler.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.reconciler.parse.FieldPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Every string of a document ends up in a unit file line: a newline there would smuggle in
 * settings, so each must be a single line; nor may it hold another control character (C0 but tab,
 * DEL, C1) or a Unicode line separator, which no setting takes and YAML and terminals read as line
 * breaks or commands.
 */
final class SingleLineStrings {
  private SingleLineStrings() {}

  static void check(DocumentFindings findings) {
    walk(findings, findings.root(), new ArrayList<>());
  }

  /**
   * {@code path} is the node's path, one list pushed and popped along the walk (every node of every
   * document is visited); a finding gets its own copy.
   */
  private static boolean control(int c) {
    return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
  }

  private static void walk(DocumentFindings findings, JsonNode node, List<Object> path) {
    if (node.isTextual()) {
      String text = node.textValue();
      int control = -1;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\r' || c == 0) {
          findings.error(FieldPath.of(path), "must be a single line");
          return;
        }
        if (control < 0 && control(c)) {
          control = c;
        }
      }
      if (control >= 0) {
        findings.error(
            FieldPath.of(path),
            String.format("must not contain control characters (it holds U+%04X)", control));
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        path.add(field.getKey());
        walk(findings, field.getValue(), path);
        path.remove(path.size() - 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        path.add(i);
        walk(findings, node.get(i), path);
        path.remove(path.size() - 1);
      }
    }
  }
}
