package dev.berth.reconciler.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.testing.InMemoryTree;
import dev.berth.reconciler.validate.CrdSchemas;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Loads on several threads give what a load on one gives: the same resources, the same findings.
 */
class ParallelLoadTest {
  private static final CrdSchemas SCHEMAS = CrdSchemas.load();
  private static final ManifestLoader SEQUENTIAL =
      new ManifestLoader(YamlLimits.DEFAULT, SCHEMAS).withParallelism(1);
  private static final SemanticCheck HOST_A = SemanticCheck.forHost(new Host("host-a", Map.of()));

  private static String container(String name, String host, String extra) {
    return """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: %s
        spec:
          placement:
            hosts: [%s]
          image:
            directory:
              path: /srv/%s
        %s"""
        .formatted(name, host, name, extra);
  }

  private static String zone(String name, String host) {
    return """
        apiVersion: berth.dev/v1alpha1
        kind: Zone
        metadata:
          name: %s
        spec:
          placement:
            hosts: [%s]
        """
        .formatted(name, host);
  }

  /**
   * Forty files of a few documents each; among them findings of every stage: YAML, kind, schema, a
   * document's own rules, and one across files (a container defined twice on host-a).
   */
  private static InMemoryTree fleetWithErrors() {
    InMemoryTree tree = new InMemoryTree();
    for (int i = 0; i < 40; i++) {
      String host = i % 2 == 0 ? "host-a" : "host-b";
      List<String> documents = new ArrayList<>();
      documents.add(zone("z" + i, host));
      documents.add(container("web" + i, host, ""));
      documents.add(container("api" + i, host, ""));
      switch (i % 8) {
        case 1 -> documents.add(container("Bad" + i, host, ""));
        case 3 -> documents.add(container("odd" + i, host, "  colour: blue\n"));
        case 5 -> documents.add("apiVersion: berth.dev/v1alpha1\nkind: Gadget\n");
        case 6 -> documents.add(container("web0", "host-a", ""));
        case 7 -> documents.add("apiVersion: berth.dev/v1alpha1\nkind: [Container\n");
        default -> {}
      }
      tree.put("hosts/f%02d.yaml".formatted(i), String.join("---\n", documents));
    }
    return tree;
  }

  @Test
  void aLoadOnSeveralThreadsGivesTheResourcesAndTheOrderedFindingsOfALoadOnOne()
      throws IOException {
    InMemoryTree tree = fleetWithErrors();
    LoadResult sequential = SEQUENTIAL.load(tree, HOST_A);

    for (int threads : new int[] {2, 3, 8}) {
      LoadResult parallel = SEQUENTIAL.withParallelism(threads).load(tree, HOST_A);

      assertThat(formatted(parallel)).as("%d threads", threads).isEqualTo(formatted(sequential));
      assertThat(view(parallel)).as("%d threads", threads).isEqualTo(view(sequential));
    }
    assertThat(formatted(sequential))
        .hasSize(25)
        .startsWith(
            "hosts/f01.yaml:34:9: metadata.name: \"Bad1\" is not a valid machine name: use at most"
                + " 64 lowercase letters, digits and '-', starting and ending with a letter or digit",
            "hosts/f03.yaml:41:3: unknown field \"colour\" in spec",
            "hosts/f05.yaml:32:7: unknown kind \"Gadget\"; berth knows Container, Zone, Rollout",
            "hosts/f06.yaml:34:9: container \"web0\" is defined twice for host host-a (first at"
                + " hosts/f00.yaml:12)",
            "hosts/f07.yaml:33:1: invalid YAML: expected ',' or ']', but got <stream end> (while"
                + " parsing a flow sequence that starts at line 32, column 7)");
  }

  @Test
  void aCachedLoadOnSeveralThreadsGivesWhatAnUncachedLoadOnOneGives() throws IOException {
    InMemoryTree tree = fleetWithErrors();
    ManifestCache cache = new ManifestCache();
    ManifestLoader cached = SEQUENTIAL.withParallelism(2).withCache(cache);
    cached.load(tree, HOST_A);
    tree.put("hosts/f10.yaml", container("Changed", "host-a", ""));

    LoadResult reused = cached.load(tree, HOST_A);

    assertThat(formatted(reused)).isEqualTo(formatted(SEQUENTIAL.load(tree, HOST_A)));
    assertThat(view(reused)).isEqualTo(view(SEQUENTIAL.load(tree, HOST_A)));
    assertThat(cache.stats().hits()).isEqualTo(39);
    assertThat(cache.stats().misses()).isEqualTo(41);
  }

  @Test
  void theRevisionsDocumentLimitCutsAParallelLoadWhereItCutsASequentialOne() throws IOException {
    YamlLimits limits = YamlLimits.DEFAULT.withRepositoryBounds(16L << 20, 100, 25);
    ManifestLoader one = new ManifestLoader(limits, SCHEMAS).withParallelism(1);
    InMemoryTree tree = fleetWithErrors();

    LoadResult sequential = one.load(tree, HOST_A);
    LoadResult parallel = one.withParallelism(4).load(tree, HOST_A);

    assertThat(formatted(parallel)).isEqualTo(formatted(sequential));
    assertThat(view(parallel)).isEqualTo(view(sequential));
    assertThat(formatted(sequential)).anyMatch(line -> line.contains("25"));
  }

  private static List<String> formatted(LoadResult result) {
    return result.diagnostics().stream().map(Diagnostic::format).toList();
  }

  /** Each resource in the order the load gave it, with its file, start, tree and name's mark. */
  private static List<Object> view(LoadResult result) {
    List<Object> seen = new ArrayList<>();
    for (Sourced<?> sourced : result.manifests().containers()) {
      seen.add(resource(sourced));
    }
    for (Sourced<?> sourced : result.manifests().zones()) {
      seen.add(resource(sourced));
    }
    return seen;
  }

  private static List<Object> resource(Sourced<?> sourced) {
    return List.of(
        sourced.value(),
        sourced.file(),
        sourced.document().start(),
        sourced.document().root(),
        sourced.mark("metadata", "name"));
  }
}
