package dev.berth.reconciler.model;

import java.util.Map;

/** The host that a pass is for: its name and the labels that selectors match. */
public record Host(String name, Map<String, String> labels) {
  public Host {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
