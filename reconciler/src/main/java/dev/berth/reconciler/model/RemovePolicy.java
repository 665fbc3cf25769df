package dev.berth.reconciler.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What removing a container does to its state directory. */
public enum RemovePolicy {
  @JsonProperty("Retain")
  RETAIN,
  @JsonProperty("Delete")
  DELETE
}
