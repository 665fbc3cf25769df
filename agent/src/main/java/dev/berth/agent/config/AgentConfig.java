package dev.berth.agent.config;

import dev.berth.agent.source.SourceSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The agent's configuration, with every default applied. */
public record AgentConfig(
    String hostName,
    Map<String, String> hostLabels,
    SourceSettings source,
    Duration interval,
    Sync sync,
    InetSocketAddress listen,
    Path webhookSecretFile,
    Path stateDir) {

  /** How the agent reconciles: pruning, self-healing, the mass-removal guard, resyncs. */
  public record Sync(
      boolean prune,
      boolean selfHeal,
      int maxRemovals,
      boolean allowEmpty,
      Duration resyncInterval,
      boolean suspend) {}
}
