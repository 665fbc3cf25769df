package dev.berth.reconciler.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.reconciler.diag.Mark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each node of a parsed YAML document stood in its file, so that a finding about a JSON path
 * can name a line and column. Marks of scalars are kept by their parent, because Jackson shares
 * scalar nodes between places.
 */
public final class SourceMap {
  private final Map<JsonNode, Marks> containers = new IdentityHashMap<>();

  private static final class Marks {
    final Mark self;
    final Map<String, Mark[]> fields = new HashMap<>();
    final List<Mark> items = new ArrayList<>();

    Marks(Mark self) {
      this.self = self;
    }
  }

  void container(JsonNode node, Mark mark) {
    containers.put(node, new Marks(mark));
  }

  void field(JsonNode object, String name, Mark key, Mark value) {
    containers.get(object).fields.put(name, new Mark[] {key, value});
  }

  void item(JsonNode array, Mark value) {
    containers.get(array).items.add(value);
  }

  /** The mark of the value at {@code path} below {@code root}, or of its nearest known ancestor. */
  public Mark valueMark(JsonNode root, List<?> path) {
    return lookup(root, path, false);
  }

  /** Like {@link #valueMark}, but for an object field the mark of its key. */
  public Mark keyMark(JsonNode root, List<?> path) {
    return lookup(root, path, true);
  }

  private Mark lookup(JsonNode root, List<?> path, boolean key) {
    JsonNode node = root;
    Marks marks = containers.get(root);
    Mark best = marks == null ? Mark.START : marks.self;
    for (int i = 0; i < path.size() && marks != null; i++) {
      Object segment = path.get(i);
      boolean last = i == path.size() - 1;
      if (segment instanceof String name && node.isObject()) {
        Mark[] field = marks.fields.get(name);
        if (field == null) {
          return best;
        }
        best = last && key ? field[0] : field[1];
        node = node.get(name);
      } else if (segment instanceof Integer index && node.isArray()) {
        if (index < 0 || index >= marks.items.size()) {
          return best;
        }
        best = marks.items.get(index);
        node = node.get(index);
      } else {
        return best;
      }
      marks = node == null ? null : containers.get(node);
    }
    return best;
  }
}
