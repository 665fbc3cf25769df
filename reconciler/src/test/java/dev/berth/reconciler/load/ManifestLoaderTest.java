package dev.berth.reconciler.load;

import static dev.berth.reconciler.testing.Findings.LOADER;
import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static dev.berth.reconciler.testing.Findings.loadAll;
import static dev.berth.reconciler.testing.Findings.loadFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import dev.berth.reconciler.testing.InMemoryTree;
import dev.berth.reconciler.validate.CrdSchemas;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ManifestLoaderTest {

  @Test
  void everyProblemOfAFileIsReportedNotJustTheFirst() {
    LoadResult result =
        loadAll(
            InMemoryTree.of(
                "m.yaml",
                """
                apiVersion: berth.dev/v1alpha1
                kind: Container
                metadata:
                  name: Web
                spec:
                  placement:
                    hosts: [host-a]
                  image:
                    directory:
                      path: /srv/../web
                  bindMounts:
                    - hostPath: /srv/a:b
                """));

    assertFindings(
        result,
        at("m.yaml:4:9", "metadata.name: \"Web\" is not a valid machine name"),
        at("m.yaml:10:13", "spec.image.directory.path: must not contain '..'"),
        at("m.yaml:12:17", "spec.bindMounts[0].hostPath: must not contain ':'"));
    assertThat(result.errorCount()).isEqualTo(3);
    assertThat(result.valid()).isFalse();
  }

  @Test
  void findingsOfAllFilesAreSortedByFileThenLineWhateverCheckFoundThem() {
    InMemoryTree tree =
        InMemoryTree.of(
                "b.yaml",
                """
                apiVersion: berth.dev/v1alpha1
                kind: Container
                metadata:
                  name: db
                spec:
                  placement:
                    hosts: [h]
                  image:
                    directory:
                      path: /srv/db
                  dependsOn: [cache]
                ---
                apiVersion: berth.dev/v1alpha1
                kind: Container
                metadata:
                  name: db
                spec:
                  bogus: 1
                  image:
                    directory:
                      path: /srv/db
                """)
            .put(
                "a.yaml",
                """
                apiVersion: berth.dev/v1alpha1
                kind: Container
                metadata:
                  name: averyveryverylongname
                spec:
                  placement:
                    hosts: [h]
                  image:
                    directory:
                      path: /srv/a
                  state: paused
                """)
            .put("c.yml", "kind: [unclosed\n");

    LoadResult result = loadAll(tree);

    assertFindings(
        result,
        at("a.yaml:11:10", "spec.state: must be one of"),
        at("b.yaml:11:15", "spec.dependsOn[0]: no container \"cache\" is placed on host h"),
        at("b.yaml:18:3", "unknown field \"bogus\" in spec"),
        at("c.yml:2:1", "invalid YAML: expected ',' or ']'"));
    assertThat(result.diagnostics()).isSortedAccordingTo(Diagnostic.BY_LOCATION);
  }

  @Test
  void aWarningDoesNotMakeTheSetInvalid() {
    LoadResult result =
        loadAll(
            InMemoryTree.of(
                "m.yaml",
                """
                apiVersion: berth.dev/v1alpha1
                kind: Container
                metadata:
                  name: averyverylongname
                spec:
                  image:
                    directory:
                      path: /srv/a
                """));

    assertThat(result.valid()).isTrue();
    assertThat(result.errorCount()).isZero();
    assertThat(result.warningCount()).isEqualTo(1);
    assertFindings(
        result,
        at("m.yaml:4:9", "warning: metadata.name: \"averyverylongname\" has 17 characters"));
  }

  @Test
  void aRefusedFileIsAnErrorAndTheOthersAreStillChecked() {
    InMemoryTree tree =
        InMemoryTree.of(
                "a.yaml",
                "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: LAN\nspec: {}\n")
            .refuse("b.yaml", "symlink leads outside the repository; not read");

    LoadResult result = loadAll(tree);

    assertFindings(
        result,
        at("a.yaml:4:9", "\"LAN\" is not a valid zone name"),
        at("b.yaml:1:1", "symlink leads outside the repository; not read"));
  }

  @Test
  void moreDocumentsThanARevisionMayHoldAreOneErrorAndNoneIsApplied() throws IOException {
    String zone = "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: z%d\nspec: {}\n";
    InMemoryTree tree =
        InMemoryTree.of("a.yaml", zone.formatted(1) + "---\n" + zone.formatted(2))
            .put("b.yaml", zone.formatted(3) + "---\n" + zone.formatted(4))
            .put("c.yaml", zone.formatted(5));
    YamlLimits limits = YamlLimits.DEFAULT.withRepositoryBounds(1 << 20, 100, 3);

    LoadResult result =
        new ManifestLoader(limits, CrdSchemas.load()).load(tree, SemanticCheck.forAllHosts());

    assertFindings(
        result,
        at(
            "b.yaml:7:1",
            "the repository holds more than 3 manifest documents; none is applied: keep what one"
                + " host reads smaller (move the rest out of the source's path, or split the"
                + " repository)"));
    assertThat(result.valid()).isFalse();
    assertThat(LOADER.load(tree, SemanticCheck.forAllHosts()).valid())
        .as("within the default bounds")
        .isTrue();
  }

  @Test
  void onlyDocumentsWithoutErrorsBecomeResources() {
    LoadResult result =
        loadAll(
            InMemoryTree.of(
                "m.yaml",
                """
                apiVersion: berth.dev/v1alpha1
                kind: Zone
                metadata:
                  name: lan
                spec:
                  placement:
                    hosts: [h]
                ---
                apiVersion: berth.dev/v1alpha1
                kind: Container
                metadata:
                  name: broken
                spec:
                  image: {}
                ---
                apiVersion: berth.dev/v1alpha1
                kind: Container
                metadata:
                  name: web
                  labels: {tier: front}
                  annotations: {berth.dev/adopt: "true"}
                spec:
                  placement:
                    hosts: [h]
                  image:
                    directory:
                      path: /srv/web
                  network:
                    zone: lan
                """));

    assertFindings(result, at("m.yaml:14:10", "spec.image: set exactly one image source"));
    assertThat(result.manifests().zones()).extracting(s -> s.value().name()).containsExactly("lan");
    assertThat(result.manifests().containers())
        .singleElement()
        .satisfies(
            sourced -> {
              Container web = sourced.value();
              assertThat(web.name()).isEqualTo("web");
              assertThat(web.metadata().labels()).isEqualTo(Map.of("tier", "front"));
              assertThat(web.metadata().adopts()).isTrue();
              assertThat(web.spec().network().zone()).isEqualTo("lan");
              assertThat(sourced.file()).isEqualTo("m.yaml");
              assertThat(sourced.mark("spec", "network", "zone").line()).isEqualTo(29);
            });
    Host h = new Host("h", Map.of());
    assertThat(result.manifests().containersOn(h))
        .extracting(Container::name)
        .containsExactly("web");
    assertThat(result.manifests().zonesOn(h)).extracting(Zone::name).containsExactly("lan");
    assertThat(result.manifests().containersOn(new Host("other", Map.of()))).isEmpty();
  }

  @Test
  void anEmptyTreeIsValidAndEmpty() {
    LoadResult result = loadAll(new InMemoryTree());

    assertThat(result.valid()).isTrue();
    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.manifests().containers()).isEmpty();
  }

  @Test
  void theExamplesRepositoryIsValid() throws IOException {
    InMemoryTree tree = new InMemoryTree();
    Path root = Paths.get("..", "examples-repo");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        tree.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }

    LoadResult all = loadAll(tree);
    LoadResult hostB = loadFor(tree, "host-b", "role=web");

    assertThat(all.diagnostics()).extracting(Diagnostic::format).isEmpty();
    assertThat(all.manifests().containers()).hasSizeGreaterThanOrEqualTo(5);
    assertThat(hostB.diagnostics()).isEmpty();
    assertThat(hostB.manifests().containersOn(new Host("host-b", Map.of("role", "web"))))
        .extracting(Container::name)
        .containsExactlyInAnyOrder("web", "cache");
  }

  @Test
  void anIoErrorOfTheTreePropagatesAsIoException() {
    ManifestTree failing =
        new ManifestTree() {
          @Override
          public List<ManifestFile> manifests() {
            return List.of(
                new ManifestFile(
                    "m.yaml",
                    """
                    apiVersion: berth.dev/v1alpha1
                    kind: Container
                    metadata:
                      name: web
                    spec:
                      image:
                        nixos:
                          file: nix/web.nix
                    """
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          }

          @Override
          public PathKind kindOf(String relativePath) throws IOException {
            throw new IOException("disk on fire");
          }

          @Override
          public java.util.Optional<byte[]> read(String relativePath, int maxBytes)
              throws IOException {
            throw new IOException("disk on fire");
          }
        };

    assertThatThrownBy(() -> LOADER.load(failing, SemanticCheck.forAllHosts()))
        .isInstanceOf(IOException.class)
        .hasMessage("disk on fire");
  }
}
