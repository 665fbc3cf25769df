package dev.berth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
}
