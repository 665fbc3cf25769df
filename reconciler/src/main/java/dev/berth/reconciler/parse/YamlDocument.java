package dev.berth.reconciler.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.reconciler.diag.Mark;
import java.util.List;

/** One YAML document of a manifest file, as a JSON tree that remembers where its nodes stood. */
public record YamlDocument(String file, Mark start, JsonNode root, SourceMap sourceMap) {

  public Mark mark(List<?> path) {
    return sourceMap.valueMark(root, path);
  }

  public Mark keyMark(List<?> path) {
    return sourceMap.keyMark(root, path);
  }

  public Mark mark(FieldPath path) {
    return mark(path.segments());
  }

  public Mark keyMark(FieldPath path) {
    return keyMark(path.segments());
  }

  public Mark mark(Object... path) {
    return mark(List.of(path));
  }
}
