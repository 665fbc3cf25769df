package dev.berth.reconciler.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import dev.berth.reconciler.testing.InMemoryTree;
import dev.berth.reconciler.validate.CrdSchemas;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ManifestCacheTest {
  private static final CrdSchemas SCHEMAS = CrdSchemas.load();
  private static final ManifestLoader UNCACHED = new ManifestLoader(YamlLimits.DEFAULT, SCHEMAS);
  private static final SemanticCheck HOST_A = SemanticCheck.forHost(new Host("host-a", Map.of()));

  private final ManifestCache cache = new ManifestCache();
  private final ManifestLoader cached = UNCACHED.withCache(cache);

  static String container(String name, String host) {
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
              path: /srv/web
        """
        .formatted(name, host);
  }

  @Example
  void aSecondLoadOfTheSameFilesReadsNoneAgain() throws IOException {
    InMemoryTree tree =
        new InMemoryTree()
            .put("a.yaml", container("web", "host-a"))
            .put("b.yaml", container("db", "host-a"));

    LoadResult first = cached.load(tree, HOST_A);
    LoadResult second = cached.load(tree, HOST_A);

    assertThat(cache.stats()).isEqualTo(new ManifestCache.Stats(2, sourceBytes(tree), 2, 2));
    assertThat(view(second)).isEqualTo(view(first)).isEqualTo(view(UNCACHED.load(tree, HOST_A)));
    assertThat(second.manifests().containers())
        .extracting(c -> c.value().name())
        .containsExactly("web", "db");
  }

  @Example
  void aChangedFileIsReadAgainAndTheOthersAreReused() throws IOException {
    InMemoryTree tree =
        new InMemoryTree()
            .put("a.yaml", container("web", "host-a"))
            .put("b.yaml", container("db", "host-a"));
    cached.load(tree, HOST_A);

    tree.put("b.yaml", container("cache", "host-a"));
    LoadResult changed = cached.load(tree, HOST_A);

    assertThat(cache.stats().hits()).isEqualTo(1);
    assertThat(cache.stats().misses()).isEqualTo(3);
    assertThat(changed.manifests().containers())
        .extracting(c -> c.value().name())
        .containsExactly("web", "cache");
    assertThat(view(changed)).isEqualTo(view(UNCACHED.load(tree, HOST_A)));
  }

  @Example
  void aRemovedFileLeavesTheResultAndTheCacheAfterTheNextLoad() throws IOException {
    ManifestTree both =
        new InMemoryTree()
            .put("a.yaml", container("web", "host-a"))
            .put("b.yaml", container("db", "host-a"));
    ManifestTree onlyA = InMemoryTree.of("a.yaml", container("web", "host-a"));
    cached.load(both, HOST_A);

    LoadResult removed = cached.load(onlyA, HOST_A);
    int keptForThePreviousRevision = cache.stats().entries();
    cached.load(onlyA, HOST_A);

    assertThat(removed.manifests().containers())
        .extracting(Sourced::file)
        .containsExactly("a.yaml");
    assertThat(view(removed)).isEqualTo(view(UNCACHED.load(onlyA, HOST_A)));
    assertThat(keptForThePreviousRevision).isEqualTo(2);
    assertThat(cache.stats().entries()).isEqualTo(1);
    assertThat(cache.stats().sourceBytes()).isEqualTo(sourceBytes(onlyA));
  }

  @Example
  void aRenamedFileReportsItsNewPathInFindingsAndResources() throws IOException {
    String invalid = container("Web", "host-a");
    ManifestTree before =
        new BlobTree(
            new InMemoryTree().put("old.yaml", invalid).put("db.yaml", container("db", "host-a")));
    ManifestTree after =
        new BlobTree(
            new InMemoryTree().put("new.yaml", invalid).put("db.yaml", container("db", "host-a")));
    assertThat(cached.load(before, HOST_A).diagnostics())
        .extracting(ManifestCacheTest::located)
        .containsExactly("old.yaml:4:9: metadata.name: \"Web\" is not a valid machine name");

    LoadResult renamed = cached.load(after, HOST_A);

    assertThat(renamed.diagnostics())
        .extracting(ManifestCacheTest::located)
        .containsExactly("new.yaml:4:9: metadata.name: \"Web\" is not a valid machine name");
    assertThat(renamed.manifests().containers())
        .extracting(Sourced::file)
        .containsExactly("db.yaml", "new.yaml");
    assertThat(view(renamed)).isEqualTo(view(UNCACHED.load(after, HOST_A)));
  }

  @Example
  void aCorruptFileFailsAgainWithTheSameFindingUntilItIsFixed() throws IOException {
    InMemoryTree tree =
        new InMemoryTree()
            .put("a.yaml", container("web", "host-a"))
            .put("b.yaml", "apiVersion: berth.dev/v1alpha1\nkind: [Container\n");
    List<Diagnostic> corrupt = cached.load(tree, HOST_A).diagnostics();

    LoadResult again = cached.load(tree, HOST_A);
    long missesBeforeTheFix = cache.stats().misses();
    tree.put("b.yaml", container("db", "host-a"));
    LoadResult fixed = cached.load(tree, HOST_A);

    assertThat(corrupt).hasSize(1);
    assertThat(corrupt.get(0).format()).startsWith("b.yaml:3:1: invalid YAML");
    assertThat(again.diagnostics()).isEqualTo(corrupt);
    assertThat(again.valid()).isFalse();
    assertThat(missesBeforeTheFix).isEqualTo(2);
    assertThat(fixed.valid()).isTrue();
    assertThat(cache.stats().misses()).isEqualTo(3);
    assertThat(view(fixed)).isEqualTo(view(UNCACHED.load(tree, HOST_A)));
  }

  @Example
  void loadsWithOtherSchemasStartFromAnEmptyCache() throws IOException {
    CrdSchemas withoutRollouts =
        CrdSchemas.load(List.of("berth.dev_containers.yaml", "berth.dev_zones.yaml"));
    ManifestLoader other = new ManifestLoader(YamlLimits.DEFAULT, withoutRollouts).withCache(cache);
    InMemoryTree tree =
        new InMemoryTree()
            .put("a.yaml", container("web", "host-a"))
            .put("b.yaml", container("db", "host-a"));
    cached.load(tree, HOST_A);

    other.load(tree, HOST_A);
    ManifestCache.Stats afterOther = cache.stats();
    cached.load(tree, HOST_A);

    assertThat(withoutRollouts.digest()).isNotEqualTo(SCHEMAS.digest());
    assertThat(afterOther).isEqualTo(new ManifestCache.Stats(2, sourceBytes(tree), 0, 4));
    assertThat(cache.stats().misses()).isEqualTo(6);
  }

  @Example
  void gitBlobIdsKeyTheEntriesWithoutHashingTheBytes() throws IOException {
    ManifestTree tree = new BlobTree(InMemoryTree.of("a.yaml", container("web", "host-a")));
    cached.load(tree, HOST_A);

    ManifestTree sameIdOtherBytes =
        new BlobTree(InMemoryTree.of("a.yaml", container("db", "host-a")), tree);
    LoadResult reused = cached.load(sameIdOtherBytes, HOST_A);

    // Equal blob ids promise equal bytes; the entry is trusted, not the bytes hashed again.
    assertThat(reused.manifests().containers())
        .extracting(c -> c.value().name())
        .containsExactly("web");
  }

  @Example
  void theRevisionsDocumentLimitCutsReusedFilesWhereItCutsReadOnes() throws IOException {
    YamlLimits limits = YamlLimits.DEFAULT.withRepositoryBounds(16L << 20, 100, 3);
    ManifestLoader small = new ManifestLoader(limits, SCHEMAS);
    ManifestLoader smallCached = small.withCache(cache);
    InMemoryTree tree =
        new InMemoryTree()
            .put("a.yaml", container("web", "host-a") + "---\n" + container("api", "host-a"))
            .put("b.yaml", container("db", "host-a") + "---\n" + container("Bad", "host-a"))
            .put("c.yaml", "kind: [\n");

    smallCached.load(tree, HOST_A);
    LoadResult reused = smallCached.load(tree, HOST_A);

    assertThat(view(reused)).isEqualTo(view(small.load(tree, HOST_A)));
    assertThat(reused.diagnostics()).extracting(Diagnostic::file).containsExactly("b.yaml");
  }

  /** A repository edited commit by commit: each load, cached, gives what a fresh load gives. */
  @Property(tries = 40)
  void cachedLoadsEqualUncachedOnesOverRandomEdits(
      @ForAll("fleets") Map<String, String> fleet, @ForAll("edits") List<Edit> edits)
      throws IOException {
    Map<String, String> files = new TreeMap<>(fleet);
    SemanticCheck all = SemanticCheck.forAllHosts();
    int step = 0;
    for (Edit edit : edits) {
      edit.apply(files);
      InMemoryTree tree = new InMemoryTree();
      files.forEach(tree::put);
      SemanticCheck check = step++ % 2 == 0 ? HOST_A : all;
      assertThat(view(cached.load(tree, check)))
          .as("after %s", edit)
          .isEqualTo(view(UNCACHED.load(tree, check)));
    }
    assertThat(cache.stats().entries()).isLessThanOrEqualTo(2 * Math.max(1, files.size()) + 24);
  }

  @Provide
  Arbitrary<Map<String, String>> fleets() {
    return Arbitraries.maps(
            Arbitraries.integers().between(0, 15).map(i -> "hosts/f" + i + ".yaml"), file())
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  /** A file of a few containers, now and then with a finding of its own or across files. */
  private static Arbitrary<String> file() {
    Arbitrary<String> document =
        Combinators.combine(
                Arbitraries.of("web", "api", "db", "cache", "Bad", "web"),
                Arbitraries.of("host-a", "host-b"))
            .as(ManifestCacheTest::container);
    Arbitrary<String> good =
        document.list().ofMinSize(1).ofMaxSize(4).map(d -> String.join("---\n", d));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, good),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("apiVersion: berth.dev/v1alpha1\nkind: [\n")),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("kind: Container\n")));
  }

  /** One commit's change: a file rewritten, removed, renamed (same bytes), broken or added. */
  record Edit(String what, int file, String content) {
    void apply(Map<String, String> files) {
      List<String> paths = new ArrayList<>(files.keySet());
      String path = paths.isEmpty() ? null : paths.get(file % paths.size());
      switch (what) {
        case "change" -> files.computeIfPresent(path == null ? "" : path, (p, old) -> content);
        case "remove" -> {
          if (path != null) {
            files.remove(path);
          }
        }
        case "rename" -> {
          if (path != null) {
            files.put("moved/" + file + "-" + path.replace('/', '-'), files.remove(path));
          }
        }
        case "corrupt" ->
            files.computeIfPresent(path == null ? "" : path, (p, old) -> old + "  : [\n");
        default -> files.put("added/f" + file + ".yaml", content);
      }
    }
  }

  @Provide
  Arbitrary<List<Edit>> edits() {
    return Combinators.combine(
            Arbitraries.of("change", "remove", "rename", "corrupt", "add"),
            Arbitraries.integers().between(0, 31),
            file())
        .as(Edit::new)
        .list()
        .ofMaxSize(12);
  }

  /** What a caller can see of a load: findings, and each resource with its file and marks. */
  private static List<Object> view(LoadResult result) {
    List<Object> seen = new ArrayList<>(result.diagnostics());
    for (Sourced<?> sourced : result.manifests().containers()) {
      seen.add(resource(sourced));
    }
    for (Sourced<?> sourced : result.manifests().zones()) {
      seen.add(resource(sourced));
    }
    result.manifests().sourcedRollout().ifPresent(r -> seen.add(resource(r)));
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

  /** A finding without the advice after its reason. */
  private static String located(Diagnostic diagnostic) {
    return diagnostic.format().replaceFirst(": use .*", "");
  }

  private static long sourceBytes(ManifestTree tree) throws IOException {
    return tree.manifests().stream().mapToLong(f -> f.content().length).sum();
  }

  /** A tree whose manifests carry Git blob ids, as a commit's do. */
  private static final class BlobTree implements ManifestTree {
    private final ManifestTree files;
    private final ManifestTree ids;

    BlobTree(ManifestTree files) {
      this(files, files);
    }

    /** The bytes of {@code files}, the ids of {@code ids}' same paths. */
    BlobTree(ManifestTree files, ManifestTree ids) {
      this.files = files;
      this.ids = ids;
    }

    @Override
    public List<ManifestFile> manifests() throws IOException {
      Map<String, byte[]> idBytes = new TreeMap<>();
      ids.manifests().forEach(f -> idBytes.put(f.path(), f.content()));
      List<ManifestFile> out = new ArrayList<>();
      for (ManifestFile file : files.manifests()) {
        out.add(ManifestFile.ofBlob(file.path(), file.content(), blobId(idBytes.get(file.path()))));
      }
      return out;
    }

    @Override
    public PathKind kindOf(String relativePath) throws IOException {
      return files.kindOf(relativePath);
    }

    @Override
    public Optional<byte[]> read(String relativePath, int maxBytes) throws IOException {
      return files.read(relativePath, maxBytes);
    }

    private static String blobId(byte[] content) {
      try {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha1.digest(content));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
