package dev.berth.reconciler.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a container should run. */
public enum RunState {
  @JsonProperty("running")
  RUNNING,
  @JsonProperty("stopped")
  STOPPED
}
