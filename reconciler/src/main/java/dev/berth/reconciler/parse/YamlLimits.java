package dev.berth.reconciler.parse;

/** Bounds that keep hostile input from costing more than a bounded amount of time and memory. */
public record YamlLimits(int maxFileBytes, int maxDepth, int maxDocumentsPerFile) {
  public static final YamlLimits DEFAULT = new YamlLimits(1 << 20, 64, 1000);
}
