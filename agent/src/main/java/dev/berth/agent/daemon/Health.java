package dev.berth.agent.daemon;

import java.util.Optional;

/**
 * Whether the agent is ready (its first pass has ended) and live (its reconcile loop still makes
 * progress); when not live, why: what {@code /readyz} and {@code /healthz} answer.
 */
public record Health(boolean ready, Optional<String> stalled) {

  public static Health live(boolean ready) {
    return new Health(ready, Optional.empty());
  }

  public static Health stalled(boolean ready, String why) {
    return new Health(ready, Optional.of(why));
  }

  public boolean live() {
    return stalled.isEmpty();
  }
}
