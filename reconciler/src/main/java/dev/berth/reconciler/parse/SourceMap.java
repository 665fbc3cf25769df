package dev.berth.reconciler.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.reconciler.diag.Mark;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each node of a parsed YAML document stood in its file, so that a finding about a JSON path
 * can name a line and column. Marks of scalars are kept by their parent, because Jackson shares
 * scalar nodes between places.
 *
 * <p>Every document of a repository keeps its map until the checks across documents are done, so
 * the marks are stored packed — a few arrays per mapping or list rather than objects per field — to
 * keep a large repository's load cheap for the garbage collector.
 */
public final class SourceMap {
  private final Map<JsonNode, Marks> containers = new IdentityHashMap<>();

  /** The marks of one mapping or list; a mark is packed as {@code line << 32 | column}. */
  private static final class Marks {
    final long self;

    /** A mapping's field names, in the order they were read. */
    String[] names;

    /** A mapping: the key's and the value's mark of each field; a list: each item's mark. */
    long[] marks;

    /** How many fields or items were read. */
    int size;

    Marks(long self) {
      this.self = self;
    }

    void field(String name, long key, long value) {
      if (names == null) {
        names = new String[4];
        marks = new long[8];
      } else if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
        marks = Arrays.copyOf(marks, size * 4);
      }
      names[size] = name;
      marks[2 * size] = key;
      marks[2 * size + 1] = value;
      size++;
    }

    void item(long value) {
      if (marks == null) {
        marks = new long[4];
      } else if (size == marks.length) {
        marks = Arrays.copyOf(marks, size * 2);
      }
      marks[size++] = value;
    }

    /** The index of the field {@code name}, the last one read if it was read twice; -1 if none. */
    int field(String name) {
      for (int i = size - 1; i >= 0 && names != null; i--) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }
  }

  /** Each mark here is packed by {@link #pack(int, int)}. */
  void container(JsonNode node, long mark) {
    containers.put(node, new Marks(mark));
  }

  void field(JsonNode object, String name, long key, long value) {
    containers.get(object).field(name, key, value);
  }

  void item(JsonNode array, long value) {
    containers.get(array).item(value);
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
    if (marks == null) {
      return Mark.START;
    }
    long best = marks.self;
    for (int i = 0; i < path.size() && marks != null; i++) {
      Object segment = path.get(i);
      boolean last = i == path.size() - 1;
      if (segment instanceof String name && node.isObject()) {
        int field = marks.field(name);
        if (field < 0) {
          return unpack(best);
        }
        best = last && key ? marks.marks[2 * field] : marks.marks[2 * field + 1];
        node = node.get(name);
      } else if (segment instanceof Integer index && node.isArray()) {
        if (index < 0 || index >= marks.size) {
          return unpack(best);
        }
        best = marks.marks[index];
        node = node.get(index);
      } else {
        return unpack(best);
      }
      marks = node == null ? null : containers.get(node);
    }
    return unpack(best);
  }

  static long pack(Mark mark) {
    return pack(mark.line(), mark.column());
  }

  /** A mark as the map keeps it, without a {@link Mark} object: {@code line << 32 | column}. */
  static long pack(int line, int column) {
    return (long) line << 32 | (column & 0xffffffffL);
  }

  static Mark unpack(long packed) {
    return new Mark((int) (packed >>> 32), (int) packed);
  }
}
