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
}
