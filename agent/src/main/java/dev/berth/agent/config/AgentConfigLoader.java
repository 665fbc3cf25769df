package dev.berth.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.events.EventType;
import dev.berth.agent.source.SemverRange;
import dev.berth.agent.source.SourceSettings;
import dev.berth.agent.tls.CaCertificates;
import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.parse.YamlDocument;
import dev.berth.reconciler.parse.YamlReader;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.validate.CrdSchemas;
import dev.berth.reconciler.validate.Names;
import dev.berth.reconciler.validate.SchemaCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code /etc/berth/agent.yaml}: the same YAML reader and CRD schema checks as manifests
 * (crd-schemas/berth.dev_agentconfigs.yaml), then the checks a schema cannot say, then defaults.
 */
public final class AgentConfigLoader {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);
  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_REMOVALS = 5;
  public static final String DEFAULT_LISTEN = "127.0.0.1:9480";

  /**
   * The fewest and the most a duration may say: under a second, passes and polls would follow one
   * another without pause (and Quartz refuses a period of 0); over a day, drift goes unseen.
   */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  public static final Duration MAX_INTERVAL = Duration.ofHours(24);

  /** A fetch's timeout: JGit counts it in whole seconds (0 is none at all). */
  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

  public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  /** A webhook secret is a short string; a larger file is a mistake, not a secret. */
  static final int MAX_WEBHOOK_SECRET = SecretFile.MAX_SECRET;

  /**
   * The configuration is a page of YAML; a larger file is a mistake, and it is never read whole.
   */
  static final int MAX_CONFIG = 1024 * 1024;

  /** What a unix socket's address holds ({@code sun_path}, less its final NUL). */
  static final int MAX_SOCKET_PATH = 107;

  private final SchemaCheck schemaCheck =
      new SchemaCheck(CrdSchemas.load(CrdSchemas.AGENT_CONFIG_CRDS));

  /**
   * The configuration and the secrets it names, read from their files: what the agent runs on.
   * {@code apiToken} is null without an {@code http.tokenFile}; {@code notificationSecrets} holds
   * the secret of each receiver that has a {@code secretFile}, by name.
   */
  public record WithSecrets(
      AgentConfig config,
      byte[] webhookSecret,
      byte[] apiToken,
      Map<String, byte[]> notificationSecrets) {
    public WithSecrets {
      notificationSecrets = Map.copyOf(notificationSecrets);
    }

    public WithSecrets(AgentConfig config, byte[] webhookSecret, byte[] apiToken) {
      this(config, webhookSecret, apiToken, Map.of());
    }

    @Override
    public String toString() {
      return "WithSecrets[config="
          + config
          + ", webhookSecret=redacted, apiToken=redacted, notificationSecrets=redacted]";
    }
  }

  /** Reads the configuration only, as the sample and the tests can: no secret file is opened. */
  public AgentConfig load(Path file, String machineHostName) throws IOException, ConfigError {
    Diagnostics diagnostics = new Diagnostics();
    AgentConfig config = config(document(file, diagnostics), machineHostName, diagnostics);
    if (diagnostics.hasErrors()) {
      throw new ConfigError(diagnostics.sorted());
    }
    return config;
  }

  /**
   * Reads the configuration and the webhook secret, which must then exist and hold something
   * (without its final newline and blanks): the agent refuses to start on an empty one, as an empty
   * HMAC key would sign for anyone.
   */
  public WithSecrets loadWithSecrets(Path file, String machineHostName)
      throws IOException, ConfigError {
    Diagnostics diagnostics = new Diagnostics();
    YamlDocument document = document(file, diagnostics);
    AgentConfig config = config(document, machineHostName, diagnostics);
    byte[] secret =
        config.webhookSecretFile() == null
            ? null
            : webhookSecret(document, config.webhookSecretFile(), diagnostics);
    byte[] token =
        config.api().tokenFile() == null
            ? null
            : TokenFile.read(document, config.api().tokenFile(), diagnostics);
    Map<String, byte[]> receiverSecrets = notificationSecrets(document, config, diagnostics);
    if (diagnostics.hasErrors()) {
      throw new ConfigError(diagnostics.sorted());
    }
    return new WithSecrets(config, secret, token, receiverSecrets);
  }

  private YamlDocument document(Path file, Diagnostics diagnostics)
      throws IOException, ConfigError {
    String name = file.toString();
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_CONFIG + 1);
    }
    if (bytes.length > MAX_CONFIG) {
      diagnostics.error(
          name,
          Mark.START,
          "the configuration file is larger than "
              + MAX_CONFIG / (1024 * 1024)
              + " MiB; an AgentConfig is a page of YAML");
      throw new ConfigError(diagnostics.sorted());
    }
    List<YamlDocument> documents =
        new YamlReader().read(new ManifestFile(name, bytes), diagnostics);
    if (!diagnostics.hasErrors() && documents.size() != 1) {
      diagnostics.error(
          name, Mark.START, "the configuration file must hold exactly one AgentConfig document");
    }
    if (diagnostics.hasErrors()) {
      throw new ConfigError(diagnostics.sorted());
    }
    return documents.get(0);
  }

  // Throws when the document is not an AgentConfig the schema accepts; the semantic findings it
  // leaves in diagnostics, so that the caller can add the secrets' findings to the same report.
  private AgentConfig config(YamlDocument document, String machineHostName, Diagnostics diagnostics)
      throws ConfigError {
    String name = document.file();
    JsonNode root = document.root();
    if (!CrdSchemas.API_VERSION.equals(root.path("apiVersion").asText())
        || !"AgentConfig".equals(root.path("kind").asText())) {
      diagnostics.error(
          name,
          document.start(),
          "not an agent configuration: it needs apiVersion: "
              + CrdSchemas.API_VERSION
              + " and kind: AgentConfig");
      throw new ConfigError(diagnostics.sorted());
    }
    if (!schemaCheck.check(document, "AgentConfig", diagnostics)) {
      throw new ConfigError(diagnostics.sorted());
    }
    return build(document, machineHostName, diagnostics);
  }

  private static AgentConfig build(
      YamlDocument document, String machineHostName, Diagnostics diagnostics) {
    JsonNode root = document.root();
    String file = document.file();
    JsonNode host = root.path("host");
    String hostName = host.path("name").asText(machineHostName);
    Map<String, String> labels = new LinkedHashMap<>();
    host.path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));

    JsonNode source = root.path("source");
    List<String> urls = new ArrayList<>();
    if (source.has("url") == source.has("urls")) {
      diagnostics.error(
          file,
          document.mark("source"),
          "source: set url, or urls (the primary first, then its mirrors), not "
              + (source.has("url") ? "both" : "neither"));
    }
    if (source.has("url")) {
      urls.add(source.path("url").asText());
    }
    source.path("urls").forEach(each -> urls.add(each.asText()));
    for (int i = 0; i < urls.size(); i++) {
      Mark at =
          source.has("url") ? document.mark("source", "url") : document.mark("source", "urls", i);
      if (!List.of("file", "https", "ssh").contains(scheme(urls.get(i)))) {
        diagnostics.error(
            file,
            at,
            (source.has("url") ? "source.url" : "source.urls[" + i + "]")
                + ": use a file://, https:// or ssh:// URL"
                + " (http:// would let anyone on the path change what runs here)");
      }
    }
    String url = urls.isEmpty() ? "" : urls.get(0);
    String scheme = scheme(url);
    JsonNode ref = source.path("ref");
    SourceSettings.Ref refSpec =
        new SourceSettings.Ref(
            ref.has("branch") || ref.isEmpty() || ref.isMissingNode()
                ? ref.path("branch").asText("main")
                : null,
            text(ref, "tag"),
            text(ref, "semver"),
            text(ref, "commit"));
    if (refSpec.semver() != null) {
      try {
        SemverRange.parse(refSpec.semver());
      } catch (IllegalArgumentException e) {
        diagnostics.error(
            file, document.mark("source", "ref", "semver"), "source.ref.semver: " + e.getMessage());
      }
    }
    JsonNode auth = source.path("auth");
    SourceSettings.Auth authSettings =
        new SourceSettings.Auth(
            path(auth, "sshKeyFile"), path(auth, "knownHostsFile"), path(auth, "tokenFile"));
    if (authSettings.sshKeyFile() != null && authSettings.knownHostsFile() == null) {
      diagnostics.error(
          file,
          document.mark("source", "auth"),
          "source.auth: an sshKeyFile needs a" + " knownHostsFile, so that the server is checked");
    }
    if (authSettings.tokenFile() != null && !"https".equals(scheme)) {
      diagnostics.error(
          file,
          document.mark("source", "auth", "tokenFile"),
          "source.auth.tokenFile: a token is" + " sent only over https://");
    }
    Path caFile = path(source, "caFile");
    if (caFile != null) {
      try {
        CaCertificates.read(caFile);
      } catch (IOException e) {
        diagnostics.error(
            file, document.mark("source", "caFile"), "source.caFile: " + e.getMessage());
      }
    }
    JsonNode verify = source.path("verify");
    SourceSettings.Verify verifySettings = null;
    if (!verify.isMissingNode()) {
      List<String> keys = new ArrayList<>();
      verify.path("allowedKeys").forEach(key -> keys.add(key.asText()));
      verifySettings = new SourceSettings.Verify(path(verify, "keyring"), keys);
    }
    String subPath = source.path("path").asText("");
    if (subPath.startsWith("/") || List.of(subPath.split("/")).contains("..")) {
      diagnostics.error(
          file,
          document.mark("source", "path"),
          "source.path: a directory inside the repository,"
              + " relative to its root, without '..'");
    }
    SourceSettings settings =
        new SourceSettings(
            url,
            urls.size() > 1 ? urls.subList(1, urls.size()) : List.of(),
            refSpec,
            subPath,
            duration(
                document,
                diagnostics,
                DEFAULT_TIMEOUT,
                MIN_TIMEOUT,
                MAX_TIMEOUT,
                "source",
                "timeout"),
            authSettings,
            verifySettings,
            source.path("allowRewind").asBoolean(false),
            caFile);

    JsonNode sync = root.path("sync");
    AgentConfig.Sync syncSettings =
        new AgentConfig.Sync(
            sync.path("prune").asBoolean(true),
            sync.path("selfHeal").asBoolean(true),
            sync.path("maxRemovals").asInt(DEFAULT_MAX_REMOVALS),
            sync.path("allowEmpty").asBoolean(false),
            duration(
                document,
                diagnostics,
                DEFAULT_RESYNC,
                MIN_INTERVAL,
                MAX_INTERVAL,
                "sync",
                "resyncInterval"),
            sync.path("suspend").asBoolean(false));

    JsonNode http = root.path("http");
    InetSocketAddress listen = listen(http.path("listen").asText(DEFAULT_LISTEN));
    if (listen == null) {
      diagnostics.error(
          file,
          document.mark("http", "listen"),
          "http.listen: use HOST:PORT, such as " + DEFAULT_LISTEN + " (an IP address, not a name)");
    }
    if (!Names.isDnsLabel(hostName) && hostName.chars().anyMatch(Character::isWhitespace)) {
      diagnostics.error(
          file,
          document.mark("host", "name"),
          "host.name: \"" + hostName + "\" is not a host name");
    }
    return new AgentConfig(
        hostName,
        labels,
        settings,
        duration(
            document,
            diagnostics,
            DEFAULT_INTERVAL,
            MIN_INTERVAL,
            MAX_INTERVAL,
            "source",
            "interval"),
        syncSettings,
        listen,
        path(http, "webhookSecretFile"),
        Path.of(root.path("stateDir").asText("/var/lib/berth")),
        api(document, diagnostics),
        notifications(document, diagnostics));
  }

  // The schema has checked the forms (a name, a kind, the event types); this checks the rest.
  private static List<AgentConfig.Notification> notifications(
      YamlDocument document, Diagnostics diagnostics) {
    List<AgentConfig.Notification> receivers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    JsonNode list = document.root().path("notifications");
    for (int i = 0; i < list.size(); i++) {
      JsonNode each = list.get(i);
      String field = "notifications[" + i + "]";
      String name = each.path("name").asText();
      if (!names.add(name)) {
        diagnostics.error(
            document.file(),
            document.mark("notifications", i, "name"),
            field + ".name: " + name + " names another receiver already; give each its own name");
      }
      URI url = receiverUrl(each.path("url").asText());
      if (url == null) {
        diagnostics.error(
            document.file(),
            document.mark("notifications", i, "url"),
            field
                + ".url: use an http:// or https:// URL with a host and no user:password@"
                + " (put a secret in secretFile)");
      }
      String kindLabel = each.path("kind").asText("generic");
      AgentConfig.Notification.Kind kind =
          Arrays.stream(AgentConfig.Notification.Kind.values())
              .filter(k -> k.label().equals(kindLabel))
              .findFirst()
              .orElse(AgentConfig.Notification.Kind.GENERIC);
      Set<EventType> types = EnumSet.allOf(EventType.class);
      if (each.has("events")) {
        types = EnumSet.noneOf(EventType.class);
        for (int j = 0; j < each.path("events").size(); j++) {
          String label = each.path("events").get(j).asText();
          Optional<EventType> type = EventType.of(label);
          if (type.isPresent()) {
            types.add(type.get());
          } else {
            diagnostics.error(
                document.file(),
                document.mark("notifications", i, "events", j),
                field + ".events: " + label + " is not an event type: " + EventType.labels());
          }
        }
      }
      receivers.add(new AgentConfig.Notification(name, url, kind, path(each, "secretFile"), types));
    }
    return receivers;
  }

  /** An http(s) URL with a host and no user information, or null. */
  private static URI receiverUrl(String text) {
    try {
      URI url = new URI(text);
      boolean web = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
      return web && url.getHost() != null && url.getRawUserInfo() == null ? url : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  // The schema has checked the forms (an absolute path, group names); this checks what it cannot.
  private static AgentConfig.Api api(YamlDocument document, Diagnostics diagnostics) {
    JsonNode http = document.root().path("http");
    Path socket = path(http, "socket");
    if (socket == null) {
      socket = AgentConfig.Api.DEFAULT_SOCKET;
    } else if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      diagnostics.error(
          document.file(),
          document.mark("http", "socket"),
          "http.socket: a unix socket's path holds at most "
              + MAX_SOCKET_PATH
              + " bytes; choose a shorter one");
    } else if (socket.getFileName() == null || socket.normalize().equals(socket.getRoot())) {
      diagnostics.error(
          document.file(), document.mark("http", "socket"), "http.socket: name a file, not /");
    }
    return new AgentConfig.Api(
        socket,
        text(http, "adminGroup"),
        text(http, "readGroup"),
        http.path("tcpStatus").asBoolean(false),
        path(http, "tokenFile"));
  }

  // The schema has checked the form (digits and a unit); this checks the amount.
  private static Duration duration(
      YamlDocument document,
      Diagnostics diagnostics,
      Duration fallback,
      Duration least,
      Duration most,
      String section,
      String field) {
    String text = text(document.root().path(section), field);
    if (text == null) {
      return fallback;
    }
    Duration duration;
    try {
      duration = Durations.parse(text, fallback);
    } catch (IllegalArgumentException e) {
      duration = null; // beyond what a long holds: above any maximum
    }
    String problem =
        duration != null && duration.compareTo(least) < 0
            ? " is below the minimum of " + Durations.format(least)
            : duration == null || duration.compareTo(most) > 0
                ? " is above the maximum of " + Durations.format(most)
                : null;
    if (problem == null) {
      return duration;
    }
    diagnostics.error(
        document.file(),
        document.mark(section, field),
        section + "." + field + ": " + text + problem);
    return fallback;
  }

  private static byte[] webhookSecret(
      YamlDocument document, Path secretFile, Diagnostics diagnostics) {
    return SecretFile.read(
        document,
        document.mark("http", "webhookSecretFile"),
        "http.webhookSecretFile: " + secretFile,
        secretFile,
        ": write the secret shared with the Git server into it, or remove"
            + " http.webhookSecretFile to turn the webhooks off",
        diagnostics);
  }

  /** Each receiver's secret by name, read from its secretFile; receivers without one are absent. */
  private static Map<String, byte[]> notificationSecrets(
      YamlDocument document, AgentConfig config, Diagnostics diagnostics) {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    List<AgentConfig.Notification> receivers = config.notifications();
    for (int i = 0; i < receivers.size(); i++) {
      AgentConfig.Notification receiver = receivers.get(i);
      if (receiver.secretFile() == null) {
        continue;
      }
      byte[] secret =
          SecretFile.read(
              document,
              document.mark("notifications", i, "secretFile"),
              "notifications[" + i + "].secretFile: " + receiver.secretFile(),
              receiver.secretFile(),
              ": write the secret shared with receiver "
                  + receiver.name()
                  + " into it, or remove secretFile to send unsigned",
              diagnostics);
      if (secret != null) {
        secrets.put(receiver.name(), secret);
      }
    }
    return secrets;
  }

  private static InetSocketAddress listen(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String host = text.substring(0, colon).replace("[", "").replace("]", "");
    String port = text.substring(colon + 1);
    if (!port.matches("\\d{1,5}")
        || Integer.parseInt(port) > 65535
        || dev.berth.reconciler.model.Cidr.parseAddress(host).isEmpty()) {
      return null;
    }
    return new InetSocketAddress(
        dev.berth.reconciler.model.Cidr.parseAddress(host).get(), Integer.parseInt(port));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Path path(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? null : Path.of(value);
  }

  /** The findings as users read them, one per line. */
  public static List<String> lines(ConfigError error) {
    return error.findings().stream().map(Diagnostic::format).toList();
  }

  private static String scheme(String url) {
    try {
      return url.contains("://") ? URI.create(url.replace(" ", "%20")).getScheme() : "file";
    } catch (IllegalArgumentException e) {
      return "invalid";
    }
  }
}
