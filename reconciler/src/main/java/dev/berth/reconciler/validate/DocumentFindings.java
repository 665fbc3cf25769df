package dev.berth.reconciler.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.parse.FieldPath;

/**
 * The findings about one loaded document, each at a {@link FieldPath}: the path's text leads the
 * message ({@code spec.network.zone: ...}) and its mark locates it, so a rule names the field once.
 */
record DocumentFindings(Sourced<?> sourced, Diagnostics diagnostics) {

  void error(FieldPath at, String reason) {
    error(at, at, reason);
  }

  /** A finding about {@code about} as a whole, pointing at {@code at}, a field inside it. */
  void error(FieldPath about, FieldPath at, String reason) {
    diagnostics.error(sourced.file(), sourced.mark(at), about + ": " + reason);
  }

  /**
   * Reports {@code reason} unless it is null: the rules of {@link PathRules} return null for fine.
   */
  void errorIfAny(FieldPath at, String reason) {
    if (reason != null) {
      error(at, reason);
    }
  }

  void warning(FieldPath at, String reason) {
    diagnostics.warning(sourced.file(), sourced.mark(at), at + ": " + reason);
  }

  /** The document's own tree, as it was written (the model fills in defaults). */
  JsonNode root() {
    return sourced.document().root();
  }

  /** Whether the document writes the field at {@code path}, if only as null. */
  boolean written(FieldPath path) {
    return !node(path).isMissingNode();
  }

  /** The document's node at {@code path} as it was written; a missing node if there is none. */
  JsonNode node(FieldPath path) {
    JsonNode node = root();
    for (Object segment : path.segments()) {
      node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
    }
    return node;
  }
}
