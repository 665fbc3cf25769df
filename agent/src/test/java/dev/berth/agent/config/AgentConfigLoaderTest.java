package dev.berth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.agent.tls.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  @TempDir Path tmp;
  private final AgentConfigLoader loader = new AgentConfigLoader();

  private Path file(String yaml) throws Exception {
    Path file = tmp.resolve("agent.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static final String MINIMAL =
      "apiVersion: berth.dev/v1alpha1\nkind: AgentConfig\nsource:\n"
          + "  url: file:///srv/manifests.git\n";

  @Test
  void theSampleConfigurationIsValid() throws Exception {
    AgentConfig config = loader.load(Path.of("..", "helm-free-deploy", "agent.yaml"), "machine");

    assertThat(config.hostName()).isEqualTo("machine");
    assertThat(config.hostLabels()).containsEntry("role", "web");
    assertThat(config.source().ref().branch()).isEqualTo("main");
    assertThat(config.source().path()).isEqualTo("hosts");
    assertThat(config.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.sync().maxRemovals()).isEqualTo(5);
    assertThat(config.listen().getPort()).isEqualTo(9480);
    assertThat(config.listen().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void defaultsFillWhatIsNotSaid() throws Exception {
    AgentConfig config = loader.load(file(MINIMAL), "h1");

    assertThat(config.source().ref().describe()).isEqualTo("branch main");
    assertThat(config.interval()).isEqualTo(AgentConfigLoader.DEFAULT_INTERVAL);
    assertThat(config.sync().prune()).isTrue();
    assertThat(config.sync().selfHeal()).isTrue();
    assertThat(config.sync().allowEmpty()).isFalse();
    assertThat(config.sync().resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/berth"));
    assertThat(config.webhookSecretFile()).isNull();
  }

  @Test
  void everyMistakeIsReportedWithItsLine() throws Exception {
    Path file =
        file(
            MINIMAL
                + "  interval: 5 minutes\n  ref: {tag: v1, branch: main}\nsync:\n  prun: true\n");

    assertThatThrownBy(() -> loader.load(file, "h1"))
        .isInstanceOfSatisfying(
            ConfigError.class,
            e ->
                assertThat(AgentConfigLoader.lines(e))
                    .containsExactly(
                        file + ":5:13: source.interval: does not match ^[0-9]+(ms|s|m|h)$",
                        file + ":6:8: source.ref: set one of branch, tag, semver or commit",
                        file + ":8:3: unknown field \"prun\" in sync"));
  }

  @Test
  void semanticMistakesToo() throws Exception {
    Path file =
        file(
            "apiVersion: berth.dev/v1alpha1\nkind: AgentConfig\nsource:\n  url: http://git.example.org/m.git\n"
                + "  auth:\n    tokenFile: /etc/berth/token\nhttp:\n  listen: localhost:9480\n");

    assertThatThrownBy(() -> loader.load(file, "h1"))
        .isInstanceOfSatisfying(
            ConfigError.class,
            e ->
                assertThat(AgentConfigLoader.lines(e))
                    .containsExactly(
                        file
                            + ":4:8: source.url: use a file://, https:// or ssh:// URL (http:// would let anyone on the path"
                            + " change what runs here)",
                        file + ":6:16: source.auth.tokenFile: a token is sent only over https://",
                        file
                            + ":8:11: http.listen: use HOST:PORT, such as 127.0.0.1:9480 (an IP address, not a name)"));
  }

  @Test
  void aCaFileOfPemCertificatesIsTaken() throws Exception {
    Path ca = TestCa.create("test CA").writePem(tmp.resolve("ca.pem"));
    Path file = file(MINIMAL + "  caFile: " + ca + "\n");

    assertThat(loader.load(file, "h1").source().caFile()).isEqualTo(ca);
  }

  @Test
  void aCaFileThatIsMissingOrNotPemCertificatesIsRefusedWithItsLine() throws Exception {
    Path missing = tmp.resolve("missing.pem");
    Path text = Files.writeString(tmp.resolve("text.pem"), "not a certificate\n");
    Path broken =
        Files.writeString(
            tmp.resolve("broken.pem"),
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");

    assertThat(refusal(missing)).isEqualTo(": source.caFile: " + missing + " does not exist");
    assertThat(refusal(text))
        .isEqualTo(
            ": source.caFile: " + text + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    assertThat(refusal(broken))
        .startsWith(": source.caFile: " + broken + " is not a valid PEM certificate file: ");
  }

  // The one finding about a source.caFile naming caFile, after its file:line:column.
  private String refusal(Path caFile) throws Exception {
    Path file = file(MINIMAL + "  caFile: " + caFile + "\n");
    ConfigError error = catchThrowableOfType(() -> loader.load(file, "h1"), ConfigError.class);
    assertThat(AgentConfigLoader.lines(error)).hasSize(1);
    String line = AgentConfigLoader.lines(error).get(0);
    assertThat(line).startsWith(file + ":5:11: ").doesNotContain("\n");
    return line.substring((file + ":5:11").length());
  }

  @Test
  void notAnAgentConfigurationAtAll() throws Exception {
    Path file = file("apiVersion: berth.dev/v1alpha1\nkind: Container\nmetadata: {name: x}\n");

    assertThatThrownBy(() -> loader.load(file, "h1"))
        .isInstanceOfSatisfying(
            ConfigError.class,
            e ->
                assertThat(AgentConfigLoader.lines(e))
                    .containsExactly(
                        file
                            + ":1:1: not an agent configuration: it needs apiVersion: berth.dev/v1alpha1 and kind: AgentConfig"));
  }

  private List<String> errors(Path file) {
    try {
      loader.loadWithSecrets(file, "h1");
    } catch (ConfigError e) {
      return AgentConfigLoader.lines(e);
    } catch (Exception e) {
      throw new AssertionError("not a configuration error: " + e, e);
    }
    throw new AssertionError("the configuration was accepted");
  }

  @Test
  void anIntervalOfZeroIsRefused() throws Exception {
    Path file = file(MINIMAL + "  interval: 0s\n");

    assertThat(errors(file))
        .containsExactly(file + ":5:13: source.interval: 0s is below the minimum of 1s");
  }

  @Test
  void aTimeoutAndAnIntervalBelowOneSecondAreRefused() throws Exception {
    Path file = file(MINIMAL + "  interval: 1ms\n  timeout: 0ms\n");

    assertThat(errors(file))
        .containsExactly(
            file + ":5:13: source.interval: 1ms is below the minimum of 1s",
            file + ":6:12: source.timeout: 0ms is below the minimum of 1s");
  }

  @Test
  void aResyncIntervalBelowOneSecondIsRefused() throws Exception {
    Path file = file(MINIMAL + "sync:\n  resyncInterval: 999ms\n");

    assertThat(errors(file))
        .containsExactly(file + ":6:19: sync.resyncInterval: 999ms is below the minimum of 1s");
  }

  @Test
  void anOverflowingDurationIsAboveTheMaximum() throws Exception {
    Path file =
        file(
            MINIMAL
                + "  interval: 99999999999999999999h\n  timeout: 2h\n"
                + "sync:\n  resyncInterval: 9223372036854775807h\n");

    assertThat(errors(file))
        .containsExactly(
            file + ":5:13: source.interval: 99999999999999999999h is above the maximum of 24h",
            file + ":6:12: source.timeout: 2h is above the maximum of 1h",
            file + ":8:19: sync.resyncInterval: 9223372036854775807h is above the maximum of 24h");
  }

  @Test
  void theMinimumsAndMaximumsThemselvesAreAccepted() throws Exception {
    AgentConfig config =
        loader.load(
            file(MINIMAL + "  interval: 1000ms\n  timeout: 1h\nsync:\n  resyncInterval: 24h\n"),
            "h1");

    assertThat(config.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.source().timeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.sync().resyncInterval()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void urlsNameThePrimaryThenItsMirrorsAndEachIsChecked() throws Exception {
    AgentConfig config =
        loader.load(
            file(
                "apiVersion: berth.dev/v1alpha1\nkind: AgentConfig\nsource:\n"
                    + "  urls: [file:///srv/a.git, file:///srv/b.git]\n"
                    + "  allowRewind: true\n"),
            "h1");

    assertThat(config.source().url()).isEqualTo("file:///srv/a.git");
    assertThat(config.source().mirrors()).containsExactly("file:///srv/b.git");
    assertThat(config.source().allowRewind()).isTrue();
    assertThat(loader.load(file(MINIMAL), "h1").source().allowRewind()).isFalse();

    Path bad =
        file(
            "apiVersion: berth.dev/v1alpha1\nkind: AgentConfig\nsource:\n"
                + "  urls: [file:///srv/a.git, http://mirror/b.git]\n");
    assertThat(errors(bad))
        .containsExactly(
            bad
                + ":4:29: source.urls[1]: use a file://, https:// or ssh:// URL (http:// would let"
                + " anyone on the path change what runs here)");
  }

  @Test
  void urlAndUrlsTogetherOrNeitherAreRefused() throws Exception {
    Path both = file(MINIMAL + "  urls: [file:///srv/b.git]\n");
    assertThat(errors(both))
        .containsExactly(
            both
                + ":4:3: source: set url, or urls (the primary first, then its mirrors), not both");
    Path neither =
        file("apiVersion: berth.dev/v1alpha1\nkind: AgentConfig\nsource:\n  ref: {tag: v1}\n");
    assertThat(errors(neither))
        .containsExactly(
            neither
                + ":4:3: source: set url, or urls (the primary first, then its mirrors), not"
                + " neither");
  }

  @Test
  void aBadSemverRangeIsReportedWithItsLine() throws Exception {
    Path file = file(MINIMAL + "  ref: {semver: \">=1.2 <<\"}\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":5:17: source.ref.semver: invalid semver range \">=1.2 <<\": \"<<\" is not a"
                + " version (write 1.2.3, 1.2, 1.x, ^1.2, ~1.2.3 or >=1.2.0 <2.0.0)");
  }

  @Test
  void aSemverRangeWithAnOverflowingNumberIsReportedWithItsLine() throws Exception {
    Path file = file(MINIMAL + "  ref: {semver: \"^99999999999999999999\"}\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":5:17: source.ref.semver: invalid semver range \"^99999999999999999999\":"
                + " 99999999999999999999 is too large for a version number");
  }

  @Test
  void anEmptyWebhookSecretFileIsRefused() throws Exception {
    Path secret = Files.writeString(tmp.resolve("webhook-secret"), "\n");
    Path file = file(MINIMAL + "http:\n  webhookSecretFile: " + secret + "\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":6:22: http.webhookSecretFile: "
                + secret
                + " is empty: write the secret shared with the Git server into it, or remove"
                + " http.webhookSecretFile to turn the webhooks off");
  }

  @Test
  void aMissingWebhookSecretFileIsRefused() throws Exception {
    Path secret = tmp.resolve("no-such-secret");
    Path file = file(MINIMAL + "http:\n  webhookSecretFile: " + secret + "\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":6:22: http.webhookSecretFile: "
                + secret
                + " does not exist: write the secret shared with the Git server into it, or"
                + " remove http.webhookSecretFile to turn the webhooks off");
  }

  @Test
  void aWebhookSecretFileThatIsADirectoryIsRefused() throws Exception {
    Path file = file(MINIMAL + "http:\n  webhookSecretFile: " + tmp + "\n");

    assertThat(errors(file))
        .containsExactly(file + ":6:22: http.webhookSecretFile: " + tmp + " is not a regular file");
  }

  @Test
  void theWebhookSecretIsReadWithoutItsFinalNewline() throws Exception {
    Path secret = Files.writeString(tmp.resolve("webhook-secret"), "s3cret\n");
    Path file = file(MINIMAL + "http:\n  webhookSecretFile: " + secret + "\n");

    AgentConfigLoader.WithSecrets loaded = loader.loadWithSecrets(file, "h1");

    assertThat(loaded.config().webhookSecretFile()).isEqualTo(secret);
    assertThat(new String(loaded.webhookSecret(), StandardCharsets.UTF_8)).isEqualTo("s3cret");
  }

  @Test
  void withoutAWebhookSecretFileThereIsNoSecret() throws Exception {
    assertThat(loader.loadWithSecrets(file(MINIMAL), "h1").webhookSecret()).isNull();
  }

  @Test
  void theControlApiDefaultsToTheSocketForRootOnly() throws Exception {
    AgentConfig.Api api = loader.load(file(MINIMAL), "h1").api();

    assertThat(api).isEqualTo(AgentConfig.Api.DEFAULT);
    assertThat(api.socket()).isEqualTo(Path.of("/run/berth/agent.sock"));
    assertThat(api.tcpStatus()).isFalse();
  }

  @Test
  void theControlApiKeysAreRead() throws Exception {
    Path file =
        file(
            MINIMAL
                + "http:\n  socket: /run/b/a.sock\n  adminGroup: berth\n  readGroup: ops\n"
                + "  tcpStatus: true\n");

    assertThat(loader.load(file, "h1").api())
        .isEqualTo(new AgentConfig.Api(Path.of("/run/b/a.sock"), "berth", "ops", true, null));
  }

  @Test
  void badControlApiValuesAreRefusedWithTheirLine() throws Exception {
    Path file =
        file(
            MINIMAL
                + "http:\n  socket: run/agent.sock\n  adminGroup: \"wheel; rm\"\n"
                + "  readGroup: Ops\n  tcpStatus: yes please\n  tokenFile: token\n");

    assertThat(errors(file))
        .containsExactly(
            file + ":6:11: http.socket: does not match ^/",
            file + ":7:15: http.adminGroup: does not match ^[a-z_][a-z0-9_-]{0,30}[$]?$",
            file + ":8:14: http.readGroup: does not match ^[a-z_][a-z0-9_-]{0,30}[$]?$",
            file + ":9:14: http.tcpStatus: expected a boolean, found a string",
            file + ":10:14: http.tokenFile: does not match ^/");
  }

  @Test
  void aSocketPathLongerThanASocketAddressHoldsIsRefused() throws Exception {
    String path = "/run/" + "s".repeat(103);
    Path file = file(MINIMAL + "http:\n  socket: " + path + "\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":6:11: http.socket: a unix socket's path holds at most 107 bytes; choose a"
                + " shorter one");
  }

  private Path token(String content, String mode) throws Exception {
    Path token = Files.writeString(tmp.resolve("api-token"), content);
    Files.setPosixFilePermissions(
        token, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
    return token;
  }

  @Test
  void theApiTokenIsReadFromARootOwnedClosedFile() throws Exception {
    Path token = token("t0ken\n", "rw-------");
    Path file = file(MINIMAL + "http:\n  tokenFile: " + token + "\n");

    AgentConfigLoader.WithSecrets loaded = loader.loadWithSecrets(file, "h1");

    assertThat(new String(loaded.apiToken(), StandardCharsets.UTF_8)).isEqualTo("t0ken");
    assertThat(loaded.toString()).doesNotContain("t0ken");
  }

  @Test
  void aTokenFileReadableByEveryoneIsRefused() throws Exception {
    Path token = token("t0ken\n", "rw-r--r--");
    Path file = file(MINIMAL + "http:\n  tokenFile: " + token + "\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":6:14: http.tokenFile: "
                + token
                + " is readable by every user: chmod 0600 "
                + token);
  }

  @Test
  void aTokenFileNotOwnedByRootIsRefused() throws Exception {
    Path token = token("t0ken\n", "rw-------");
    Files.setAttribute(token, "unix:uid", 65534);
    Path file = file(MINIMAL + "http:\n  tokenFile: " + token + "\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":6:14: http.tokenFile: "
                + token
                + " is not owned by root: chown root "
                + token);
  }

  @Test
  void aMissingOrEmptyTokenFileIsRefused() throws Exception {
    Path missing = tmp.resolve("absent");
    Path file = file(MINIMAL + "http:\n  tokenFile: " + missing + "\n");
    assertThat(errors(file)).singleElement().asString().contains(missing + " does not exist");

    Path empty = token("\n", "rw-------");
    file = file(MINIMAL + "http:\n  tokenFile: " + empty + "\n");
    assertThat(errors(file)).singleElement().asString().contains(empty + " is empty");
  }

  @Test
  void aConfigurationFileOverOneMebibyteIsRefusedUnread() throws Exception {
    Path file = tmp.resolve("agent.yaml");
    Files.writeString(file, MINIMAL + "#" + "x".repeat(1024 * 1024) + "\n");

    assertThatThrownBy(() -> loader.load(file, "h1"))
        .isInstanceOfSatisfying(
            ConfigError.class,
            e ->
                assertThat(AgentConfigLoader.lines(e))
                    .containsExactly(
                        file
                            + ":1:1: the configuration file is larger than 1 MiB; an AgentConfig"
                            + " is a page of YAML"));
  }

  @Test
  void notificationsReadWithTheirSecretsAndDefaults() throws Exception {
    Path secret = tmp.resolve("slack.secret");
    Files.writeString(secret, "s3cret\n");
    Path file =
        file(
            MINIMAL
                + "notifications:\n"
                + "  - name: ops\n"
                + "    url: https://hooks.example.org/berth\n"
                + "  - name: chat\n"
                + "    url: https://hooks.slack.com/services/T/B/X\n"
                + "    kind: slack\n"
                + "    secretFile: "
                + secret
                + "\n"
                + "    events: [failed, rolledBack]\n");

    AgentConfigLoader.WithSecrets loaded = loader.loadWithSecrets(file, "h1");

    assertThat(loaded.config().notifications())
        .containsExactly(
            new AgentConfig.Notification(
                "ops",
                java.net.URI.create("https://hooks.example.org/berth"),
                AgentConfig.Notification.Kind.GENERIC,
                null,
                java.util.EnumSet.allOf(dev.berth.agent.events.EventType.class)),
            new AgentConfig.Notification(
                "chat",
                java.net.URI.create("https://hooks.slack.com/services/T/B/X"),
                AgentConfig.Notification.Kind.SLACK,
                secret,
                java.util.Set.of(
                    dev.berth.agent.events.EventType.FAILED,
                    dev.berth.agent.events.EventType.ROLLED_BACK)));
    assertThat(loaded.notificationSecrets()).containsOnlyKeys("chat");
    assertThat(new String(loaded.notificationSecrets().get("chat"), StandardCharsets.UTF_8))
        .isEqualTo("s3cret");
    assertThat(loaded.toString()).doesNotContain("s3cret");
  }

  @Test
  void receiversOfTheWrongFormAreTheSchemasOneLineErrors() throws Exception {
    Path file =
        file(
            MINIMAL
                + "notifications:\n"
                + "  - name: am\n"
                + "    url: http://127.0.0.1:9093\n"
                + "    kind: pagerduty\n"
                + "    events: [failed, exploded]\n"
                + "  - name: Bad_Name\n"
                + "    url: https://x.example\n"
                + "  - url: https://x.example\n"
                + "    secretFile: relative/secret\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":8:11: notifications[0].kind: must be one of [\"generic\", \"slack\","
                + " \"alertmanager\"]",
            file
                + ":9:22: notifications[0].events[1]: must be one of [\"applied\", \"failed\","
                + " \"rolledBack\", \"driftHealed\", \"signatureRefused\", \"held\", \"invalid\","
                + " \"refused\"]",
            file
                + ":10:11: notifications[1].name: does not match"
                + " ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
            file + ":12:5: notifications[2]: missing required field \"name\"",
            file + ":13:17: notifications[2].secretFile: does not match ^/");
  }

  @Test
  void receiversWithABadUrlOrATakenNameAreOneLineErrors() throws Exception {
    Path file =
        file(
            MINIMAL
                + "notifications:\n"
                + "  - name: ops\n"
                + "    url: ftp://hooks.example.org/berth\n"
                + "  - name: ops\n"
                + "    url: https://user:pass@hooks.example.org/\n"
                + "  - name: nohost\n"
                + "    url: https:///path\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":7:10: notifications[0].url: use an http:// or https:// URL with a host and no"
                + " user:password@ (put a secret in secretFile)",
            file
                + ":8:11: notifications[1].name: ops names another receiver already; give each its"
                + " own name",
            file
                + ":9:10: notifications[1].url: use an http:// or https:// URL with a host and no"
                + " user:password@ (put a secret in secretFile)",
            file
                + ":11:10: notifications[2].url: use an http:// or https:// URL with a host and no"
                + " user:password@ (put a secret in secretFile)");
  }

  @Test
  void aReceiversSecretFileMustHoldASecret() throws Exception {
    Path secret = tmp.resolve("empty.secret");
    Files.writeString(secret, "\n");
    Path file =
        file(
            MINIMAL
                + "notifications:\n"
                + "  - name: ops\n"
                + "    url: https://hooks.example.org/berth\n"
                + "    secretFile: "
                + secret
                + "\n");

    assertThat(errors(file))
        .containsExactly(
            file
                + ":8:17: notifications[0].secretFile: "
                + secret
                + " is empty: write the secret shared with receiver ops into it, or remove"
                + " secretFile to send unsigned");
  }

  @Test
  void theSchemaNamesEveryEventTypeAndNoOther() throws Exception {
    String schema = Files.readString(Path.of("..", "crd-schemas", "berth.dev_agentconfigs.yaml"));

    assertThat(schema).contains("enum: [" + dev.berth.agent.events.EventType.labels() + "]");
  }
}
