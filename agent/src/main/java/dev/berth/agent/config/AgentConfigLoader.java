package dev.berth.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.source.SourceSettings;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  private final SchemaCheck schemaCheck =
      new SchemaCheck(CrdSchemas.load(CrdSchemas.AGENT_CONFIG_CRDS));

  public AgentConfig load(Path file, String machineHostName) throws IOException, ConfigError {
    String name = file.toString();
    Diagnostics diagnostics = new Diagnostics();
    List<YamlDocument> documents =
        new YamlReader().read(new ManifestFile(name, Files.readAllBytes(file)), diagnostics);
    if (!diagnostics.hasErrors() && documents.size() != 1) {
      diagnostics.error(
          name, Mark.START, "the configuration file must hold exactly one AgentConfig document");
    }
    if (diagnostics.hasErrors()) {
      throw new ConfigError(diagnostics.sorted());
    }
    YamlDocument document = documents.get(0);
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
    AgentConfig config = build(document, machineHostName, diagnostics);
    if (diagnostics.hasErrors()) {
      throw new ConfigError(diagnostics.sorted());
    }
    return config;
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
    String url = source.path("url").asText();
    String scheme = url.contains("://") ? URI.create(url.replace(" ", "%20")).getScheme() : "file";
    if (!List.of("file", "https", "ssh").contains(scheme)) {
      diagnostics.error(
          file,
          document.mark("source", "url"),
          "source.url: use a file://, https:// or ssh:// URL"
              + " (http:// would let anyone on the path change what runs here)");
    }
    JsonNode ref = source.path("ref");
    SourceSettings.Ref refSpec =
        new SourceSettings.Ref(
            ref.has("branch") || ref.isEmpty() || ref.isMissingNode()
                ? ref.path("branch").asText("main")
                : null,
            text(ref, "tag"),
            text(ref, "semver"),
            text(ref, "commit"));
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
            refSpec,
            subPath,
            Durations.parse(text(source, "timeout"), DEFAULT_TIMEOUT),
            authSettings,
            verifySettings);

    JsonNode sync = root.path("sync");
    AgentConfig.Sync syncSettings =
        new AgentConfig.Sync(
            sync.path("prune").asBoolean(true),
            sync.path("selfHeal").asBoolean(true),
            sync.path("maxRemovals").asInt(DEFAULT_MAX_REMOVALS),
            sync.path("allowEmpty").asBoolean(false),
            Durations.parse(text(sync, "resyncInterval"), DEFAULT_RESYNC),
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
        Durations.parse(text(source, "interval"), DEFAULT_INTERVAL),
        syncSettings,
        listen,
        path(http, "webhookSecretFile"),
        Path.of(root.path("stateDir").asText("/var/lib/berth")));
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
}
