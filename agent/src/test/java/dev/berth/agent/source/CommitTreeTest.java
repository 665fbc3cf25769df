package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestFile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.Test;

/** The bounds of one revision, on trees built in an in-memory object database. */
class CommitTreeTest {
  private static final YamlLimits SMALL =
      new YamlLimits(1024, 64, 1000).withRepositoryBounds(1200, 100, 100);

  private final InMemoryRepository repository =
      new InMemoryRepository(new DfsRepositoryDescription("bounds"));

  @Test
  void aTreeOverTheTotalBoundIsOneRefusalAtItsLargestFile() throws Exception {
    ObjectId tree =
        tree(Map.of("a.yaml", 400, "b.yaml", 700, "c.yaml", 300, "huge.yaml", 5000, "n.nix", 9000));

    var files = read(tree, SMALL, TreeIndex.MAX_ENTRIES).manifests();

    assertThat(files).extracting(ManifestFile::path).containsExactly("b.yaml");
    assertThat(files.get(0).refusal())
        .startsWith(
            "the repository holds more than 1200 bytes of manifests (4 files, 1400 bytes, this"
                + " one the largest); none is read");
  }

  @Test
  void aTreeWithinTheBoundsIsReadAsBefore() throws Exception {
    ObjectId tree = tree(Map.of("a.yaml", 400, "b.yaml", 700, "huge.yaml", 5000));

    var files = read(tree, SMALL, TreeIndex.MAX_ENTRIES).manifests();

    assertThat(files)
        .extracting(ManifestFile::path)
        .containsExactly("a.yaml", "b.yaml", "huge.yaml");
    assertThat(files.get(1).content()).hasSize(700);
    assertThat(files.get(2).refusal()).startsWith("file is 5000 bytes, more than the limit");
  }

  @Test
  void aTreeOfMoreManifestFilesThanTheBoundIsRefused() throws Exception {
    Map<String, Integer> many = new TreeMap<>();
    for (int i = 0; i < 5; i++) {
      many.put("m" + i + ".yaml", 10);
    }
    YamlLimits fourFiles = YamlLimits.DEFAULT.withRepositoryBounds(1 << 20, 4, 100);

    var files = read(tree(many), fourFiles, TreeIndex.MAX_ENTRIES).manifests();

    assertThat(files).hasSize(1);
    assertThat(files.get(0).refusal())
        .startsWith("the repository holds more than 4 manifest files (5); none is read");
  }

  @Test
  void aTreeOfMoreEntriesThanTheIndexHoldsIsRefusedBeforeItIsIndexed() throws Exception {
    Map<String, Integer> many = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      many.put("f" + i + ".nix", 10);
    }

    CommitTree commit = read(tree(many), YamlLimits.DEFAULT, 5);

    assertThat(commit.manifests()).hasSize(1);
    assertThat(commit.manifests().get(0).refusal())
        .startsWith("the repository holds more than 5 files and directories; none is read");
  }

  private CommitTree read(ObjectId tree, YamlLimits limits, int maxEntries) throws Exception {
    try (ObjectReader reader = repository.newObjectReader()) {
      return CommitTree.read(reader, tree, limits, maxEntries);
    }
  }

  /** A flat tree of files of the given sizes. */
  private ObjectId tree(Map<String, Integer> sizes) throws Exception {
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      TreeFormatter formatter = new TreeFormatter();
      for (var file : new TreeMap<>(sizes).entrySet()) {
        byte[] content = "#".repeat(file.getValue()).getBytes(StandardCharsets.UTF_8);
        formatter.append(
            file.getKey(), FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, content));
      }
      ObjectId tree = inserter.insert(formatter);
      inserter.flush();
      return tree;
    }
  }
}
