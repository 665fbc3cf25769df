package dev.berth.reconciler.model;

import java.util.Map;

/** A document's name, labels and annotations, as in Kubernetes. */
public record ObjectMeta(String name, Map<String, String> labels, Map<String, String> annotations) {
  public static final String ADOPT_ANNOTATION = "berth.dev/adopt";

  public ObjectMeta {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** Whether the manifest takes over a machine that berth did not create. */
  public boolean adopts() {
    return "true".equals(annotations.get(ADOPT_ANNOTATION));
  }
}
