package dev.berth.reconciler.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** Who manages a container berth created: the Git agent, or {@code berth create} by hand. */
public enum Owner {
  @JsonProperty("git")
  GIT,
  @JsonProperty("imperative")
  IMPERATIVE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
