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
    Path stateDir,
    Api api) {

  /** A configuration with the default control API: the socket, root only. */
  public AgentConfig(
      String hostName,
      Map<String, String> hostLabels,
      SourceSettings source,
      Duration interval,
      Sync sync,
      InetSocketAddress listen,
      Path webhookSecretFile,
      Path stateDir) {
    this(
        hostName,
        hostLabels,
        source,
        interval,
        sync,
        listen,
        webhookSecretFile,
        stateDir,
        Api.DEFAULT);
  }

  /** How the agent reconciles: pruning, self-healing, the mass-removal guard, resyncs. */
  public record Sync(
      boolean prune,
      boolean selfHeal,
      int maxRemovals,
      boolean allowEmpty,
      Duration resyncInterval,
      boolean suspend) {}

  /**
   * Who may steer the agent: the unix socket and its groups, whether TCP serves the status, and the
   * bearer token that allows changes over TCP ({@code tokenFile} null: none are).
   */
  public record Api(
      Path socket, String adminGroup, String readGroup, boolean tcpStatus, Path tokenFile) {
    public static final Path DEFAULT_SOCKET = Path.of("/run/berth/agent.sock");
    public static final Api DEFAULT = new Api(DEFAULT_SOCKET, null, null, false, null);
  }
}
