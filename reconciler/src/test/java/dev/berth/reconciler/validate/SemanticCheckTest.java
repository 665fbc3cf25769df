package dev.berth.reconciler.validate;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static dev.berth.reconciler.testing.Findings.loadFor;
import static dev.berth.reconciler.validate.HostRulesTest.container;
import static dev.berth.reconciler.validate.HostRulesTest.documents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.InMemoryTree;
import org.junit.jupiter.api.Test;

/** Which documents are checked together: for one known host, or for every host named. */
class SemanticCheckTest {

  /**
   * A container placed by selector with a directory image: eleven lines, so its spec lines start at
   * line 12.
   */
  private static ContainerYaml bySelector(String name, String matchLabels) {
    return ContainerYaml.container(name).onHostsLabelled(matchLabels).directory("/srv/" + name);
  }

  private static InMemoryTree tree(Object manifests) {
    return InMemoryTree.of("m.yaml", manifests.toString());
  }

  @Test
  void selectorOnlyDuplicatesWithCompatibleLabelsClash() {
    LoadResult result =
        loadAll(
            tree(documents(bySelector("web", "{role: web}"), bySelector("web", "{region: eu}"))));

    assertFindings(
        result,
        at(
            "m.yaml:16:9",
            "container \"web\" is defined twice for hosts that match both selectors (first at m.yaml:4)"));
  }

  @Test
  void selectorOnlyDuplicatesWithEqualLabelsClash() {
    LoadResult result =
        loadAll(
            tree(documents(bySelector("web", "{role: web}"), bySelector("web", "{role: web}"))));

    assertFindings(result, at("m.yaml:16:9", "defined twice for hosts that match both selectors"));
  }

  @Test
  void selectorOnlyDuplicatesWithContradictoryLabelsAreFine() {
    LoadResult result =
        loadAll(
            tree(
                documents(
                    bySelector("web", "{role: web, region: eu}"),
                    bySelector("web", "{role: db}"))));

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.manifests().containers()).hasSize(2);
  }

  @Test
  void selectorOnlyContainersOfDifferentNamesAreFine() {
    assertThat(
            loadAll(
                    tree(
                        documents(
                            bySelector("web", "{role: web}"), bySelector("db", "{role: web}"))))
                .diagnostics())
        .isEmpty();
  }

  @Test
  void forAHostWithLabelsASelectedAndANamedContainerClash() {
    String manifests = documents(bySelector("web", "{role: web}"), container("web", "h1"));

    assertFindings(
        loadFor(tree(manifests), "h1", "role=web"),
        at("m.yaml:16:9", "container \"web\" is defined twice for host h1 (first at m.yaml:4)"));
    assertThat(loadFor(tree(manifests), "h1", "role=db").diagnostics()).isEmpty();
    assertThat(loadFor(tree(manifests), "h2", "role=web").diagnostics()).isEmpty();
  }

  @Test
  void forAHostContradictorySelectorsNeverBothMatch() {
    String manifests = documents(bySelector("web", "{role: web}"), bySelector("web", "{role: db}"));

    assertThat(loadFor(tree(manifests), "h1", "role=web").diagnostics()).isEmpty();
  }

  @Test
  void forAHostMatchExpressionsPlaceContainersToo() {
    String manifests =
        documents(
            container("web", "h1"),
            """
            apiVersion: berth.dev/v1alpha1
            kind: Container
            metadata:
              name: web
            spec:
              placement:
                selector:
                  matchExpressions:
                    - {key: role, operator: In, values: [web, api]}
                    - {key: gpu, operator: DoesNotExist}
              image:
                directory:
                  path: /srv/web
            """);

    assertFindings(
        loadFor(tree(manifests), "h1", "role=api"),
        at("m.yaml:15:9", "container \"web\" is defined twice for host h1 (first at m.yaml:4)"));
    assertThat(loadFor(tree(manifests), "h1", "role=api", "gpu=yes").diagnostics()).isEmpty();
  }

  @Test
  void forAHostAZoneMustBePlacedThere() {
    String manifests =
        documents(
            bySelector("web", "{role: web}").spec("network:", "  zone: lan"),
            """
            apiVersion: berth.dev/v1alpha1
            kind: Zone
            metadata:
              name: lan
            spec:
              placement:
                selector:
                  matchLabels: {net: lan}
            """);

    assertFindings(
        loadFor(tree(manifests), "h1", "role=web"),
        at("m.yaml:13:11", "spec.network.zone: no Zone \"lan\" is placed on host h1"));
    assertThat(loadFor(tree(manifests), "h1", "role=web", "net=lan").diagnostics()).isEmpty();
  }

  @Test
  void documentRulesRunWhatEverTheHost() {
    ContainerYaml manifests = container("Web", "elsewhere");

    assertFindings(
        loadFor(tree(manifests), "h1"), at("m.yaml:4:9", "\"Web\" is not a valid machine name"));
    assertFindings(
        loadAll(tree(manifests)), at("m.yaml:4:9", "\"Web\" is not a valid machine name"));
  }

  @Test
  void aContainerPlacedNowhereIsStillChecked() {
    String manifests =
        """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: web
        spec:
          image:
            directory:
              path: relative
        """;

    assertFindings(
        loadAll(tree(manifests)),
        at("m.yaml:8:13", "spec.image.directory.path: must be an absolute path"));
  }
}
