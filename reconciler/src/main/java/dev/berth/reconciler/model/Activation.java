package dev.berth.reconciler.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a changed container is activated: the RFC 0108 rule or a forced choice. */
public record Activation(Strategy strategy) {
  public static final Activation DEFAULT = new Activation(Strategy.DYNAMIC);

  public Activation {
    strategy = strategy == null ? Strategy.DYNAMIC : strategy;
  }

  /** RFC 0108's activation strategies. */
  public enum Strategy {
    /** Reload when only {@code Parameters=} changed, restart otherwise. */
    @JsonProperty("dynamic")
    DYNAMIC,
    @JsonProperty("reload")
    RELOAD,
    @JsonProperty("restart")
    RESTART,
    /** Write the files, leave the running container alone. */
    @JsonProperty("none")
    NONE
  }
}
