package dev.berth.agent.config;

import dev.berth.agent.events.EventType;
import dev.berth.agent.source.SourceSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    Api api,
    List<Notification> notifications) {

  public AgentConfig {
    notifications = List.copyOf(notifications);
  }

  /**
   * Where the source's Git cache lives: a bare repository per URL, which the agent fetches into.
   */
  public Path gitCacheDir() {
    return stateDir.resolve("git");
  }

  /** A configuration without notifications. */
  public AgentConfig(
      String hostName,
      Map<String, String> hostLabels,
      SourceSettings source,
      Duration interval,
      Sync sync,
      InetSocketAddress listen,
      Path webhookSecretFile,
      Path stateDir,
      Api api) {
    this(
        hostName,
        hostLabels,
        source,
        interval,
        sync,
        listen,
        webhookSecretFile,
        stateDir,
        api,
        List.of());
  }

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

  /**
   * A receiver of the agent's events (docs/notifications.md): where they go, in which format,
   * signed with the secret of {@code secretFile} (null: unsigned), and which types ({@code
   * events}).
   */
  public record Notification(
      String name, URI url, Kind kind, Path secretFile, Set<EventType> events) {
    public Notification {
      events = Set.copyOf(events);
    }

    /** The body a receiver understands. */
    public enum Kind {
      /** The event document, as the events API serves it, with the host. */
      GENERIC("generic"),
      /** A Slack incoming webhook's message: {@code {"text": ...}}. */
      SLACK("slack"),
      /** An alert for Alertmanager's {@code /api/v2/alerts}. */
      ALERTMANAGER("alertmanager");

      private final String label;

      Kind(String label) {
        this.label = label;
      }

      public String label() {
        return label;
      }
    }
  }
}
