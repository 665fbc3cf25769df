package dev.berth.reconciler.manifest;

import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.parse.FieldPath;
import dev.berth.reconciler.parse.YamlDocument;

/** A resource with the document it came from, so that later checks can point at its lines. */
public record Sourced<T>(T value, YamlDocument document) {
  public String file() {
    return document.file();
  }

  public Mark mark(FieldPath path) {
    return document.mark(path);
  }

  public Mark mark(Object... path) {
    return document.mark(path);
  }
}
