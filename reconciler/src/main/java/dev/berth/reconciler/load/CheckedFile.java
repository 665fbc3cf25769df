package dev.berth.reconciler.load;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.parse.YamlDocument;
import java.util.List;

/**
 * One manifest file read and each of its documents checked on its own (YAML, kind, CRD schema, raw
 * settings, binding, {@link dev.berth.reconciler.validate.SemanticCheck#checkOnItsOwn}): a function
 * of the file's path and bytes and of the loader's schemas and limits alone, so that it can be kept
 * and reused while those stay the same.
 *
 * @param findings what reading the file found (no documents then)
 * @param sourceBytes the size of the bytes it was read from
 */
record CheckedFile(List<Diagnostic> findings, List<Document> documents, int sourceBytes) {

  /**
   * One document with what its own checks found and, when they passed, the resource bound from it
   * (a Container, Zone or Rollout; null otherwise).
   */
  record Document(YamlDocument yaml, Object resource, List<Diagnostic> findings) {}
}
