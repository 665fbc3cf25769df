package dev.berth.reconciler.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.testing.Findings;
import dev.berth.reconciler.testing.InMemoryTree;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {

  @Test
  void everyMigratedManifestPassesBerthsValidation() {
    Migration.Result result =
        new Migration("host-a")
            .run(
                List.of(
                    Fixtures.conf("web"),
                    Fixtures.conf("bridged"),
                    Fixtures.conf("hostnet"),
                    Fixtures.conf("demo")));

    assertThat(result.containers())
        .extracting(MigratedContainer::name)
        .containsExactly("web", "bridged", "hostnet", "demo");
    assertThat(result.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(result.valid()).isTrue();

    // The same files, loaded as a repository would be, by the loader the CLI uses.
    InMemoryTree tree = new InMemoryTree();
    result.containers().forEach(c -> c.files().forEach(tree::put));
    LoadResult forHost = Findings.loadFor(tree, "host-a");
    LoadResult anyHost = Findings.loadAll(tree);
    assertThat(forHost.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(anyHost.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(forHost.manifests().containers()).hasSize(4);
  }

  @Test
  void containersThatClashOnTheHostAreReportedByValidation() {
    String conf = "PRIVATE_NETWORK=1\nHOST_ADDRESS=10.233.1.1\nLOCAL_ADDRESS=10.233.1.2\n";
    Migration.Result result =
        new Migration("host-a")
            .run(
                List.of(
                    new LegacyConf("one", "/etc/containers/one.conf", conf, "/a", "/b", null, null),
                    new LegacyConf(
                        "two", "/etc/containers/two.conf", conf, "/c", "/d", null, null)));

    assertThat(result.valid()).isFalse();
    assertThat(result.diagnostics())
        .filteredOn(Diagnostic::isError)
        .first()
        .extracting(Diagnostic::format)
        .asString()
        .startsWith("two.yaml:")
        .contains("address 10.233.1.2 is used twice on host host-a");
  }

  /** The documents a comment would smuggle in, were a carriage return to end it. */
  private static final String HIDDEN =
      "\r---\rapiVersion: berth.dev/v1alpha1\rkind: Container\rmetadata:\r  name: hidden\r"
          + "spec:\r  placement: {hosts: [host-a]}\r  image: {directory: {path: /}}\r"
          + "  nspawn: {Files: {Bind: \"/:/host\"}}\r---\r#";

  @Test
  void aCarriageReturnInAConfValueYieldsNoSecondContainer() {
    String conf = "PRIVATE_NETWORK=1\nPRIVATE_USERS=pick" + HIDDEN + "\n";
    Migration.Result result =
        new Migration("host-a")
            .run(
                List.of(
                    new LegacyConf(
                        "web", "/etc/nixos-containers/web.conf", conf, "/a", "/b", null, null)));

    assertThat(result.containers()).isEmpty();
    assertThat(result.skipped())
        .singleElement()
        .asString()
        .startsWith(
            "/etc/nixos-containers/web.conf:2: PRIVATE_USERS holds the control character \\r,");
  }

  @Test
  void aCarriageReturnInWhatTheCommentsQuoteYieldsNoSecondDocument() {
    // The path of the old configuration, quoted in the manifest's and the Nix file's comments.
    String source = "/etc/nixos-containers/web.conf" + HIDDEN;
    Migration.Result result =
        new Migration("host-a")
            .run(
                List.of(
                    new LegacyConf(
                        "web",
                        source,
                        Fixtures.read("etc/nixos-containers/web.conf"),
                        "/var/lib/nixos-containers/web" + HIDDEN,
                        "/var/lib/machines/web",
                        source,
                        "{ }\n")));

    assertThat(result.valid()).isTrue();
    MigratedContainer web = result.containers().get(0);
    web.files().values().forEach(text -> assertThat(text).doesNotContain("\r"));
    InMemoryTree tree = new InMemoryTree();
    web.files().forEach(tree::put);
    LoadResult loaded = Findings.loadAll(tree);
    assertThat(loaded.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(loaded.manifests().containers())
        .extracting(c -> c.value().name())
        .containsExactly("web");
    assertThat(web.files().get("web.yaml"))
        .startsWith(
            "# Migrated by `berth migrate` from /etc/nixos-containers/web.conf\\r---\\rapiVersion:");
  }
}
