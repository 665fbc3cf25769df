package dev.berth.agent.images;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image installer on a real file system (a temporary directory standing for the host's root):
 * real tarballs fetched from {@code file://}, checked and unpacked; the staged root beside the
 * current one, the swaps by renames, each interrupted at every point between its steps and finished
 * by the next call; and the cache that keeps exactly the tarballs a root holds.
 */
class HostImageInstallerIT {
  @TempDir Path host;

  private Path cache;
  private Path root;
  private Path staged;
  private Path previous;
  private RootRecords records;
  private HostImageInstaller installer;
  private Image a;
  private Image b;

  /** A tarball with one marker file, and the container that uses it. */
  private record Image(String sha256, Container container) {}

  @BeforeEach
  void setUp() throws IOException {
    cache = host.resolve("var/lib/berth/images");
    root = host.resolve("var/lib/machines/web");
    staged = host.resolve("var/lib/machines/.web.berth-next");
    previous = host.resolve("var/lib/machines/.web.berth-previous");
    records = new RootRecords(cache.resolve("roots"));
    installer = new HostImageInstaller(host, cache, null);
    a = image("a");
    b = image("b");
  }

  private Image image(String marker) throws IOException {
    Path file =
        TestTarballs.write(
            host.resolve("srv/" + marker + ".tar"),
            new TreeMap<>(
                Map.of("etc/os-release", "ID=busybox\n", "marker-" + marker, marker + "\n")));
    String sha256 = TarballFetcher.hash(file);
    return new Image(
        sha256,
        ContainerYaml.containers(container("web").tarball(file.toUri().toString(), sha256)).get(0));
  }

  private Path cached(Image image) {
    return cache.resolve(image.sha256() + ".tar");
  }

  @Test
  void anUpgradeStagesBesideTheRunningRootSwapsByRenamesReleasesAndCollects() throws IOException {
    installer.install(a.container());
    assertThat(records.read("web").root()).isEqualTo(a.sha256());

    assertThat(installer.stage(b.container()))
        .startsWith("staged the new root beside the current one: unpacked 2 entries");
    assertThat(root.resolve("marker-a")).exists();
    assertThat(staged.resolve("marker-b")).exists();
    assertThat(staged.resolve("var")).as("completed as a root").isDirectory();
    assertThat(installer.stage(b.container())).endsWith("was staged already");

    assertThat(installer.swapIn("web")).contains("swapped in the new root (sha256 ");
    assertThat(root.resolve("marker-b")).exists();
    assertThat(root.resolve("marker-a")).doesNotExist();
    assertThat(previous.resolve("marker-a")).exists();
    assertThat(staged).doesNotExist();
    assertThat(records.read("web")).isEqualTo(new RootRecord(b.sha256(), null, a.sha256(), null));

    assertThat(installer.collectUnused(List.of(b.container())))
        .as("the previous root holds a")
        .isEmpty();
    assertThat(installer.releasePrevious("web")).isEqualTo("released the previous root");
    assertThat(previous).doesNotExist();
    assertThat(installer.releasePrevious("web")).isEmpty();

    assertThat(installer.collectUnused(List.of(b.container())))
        .startsWith("image cache: deleted sha256 " + a.sha256().substring(0, 12));
    assertThat(cached(a)).doesNotExist();
    assertThat(cached(b)).exists();
    assertThat(installer.swapIn("web")).isEqualTo("no staged root; the root stays as it is");
  }

  @Test
  void stagingWhatTheRootHoldsDropsAnOlderStagedTree() throws IOException {
    installer.install(a.container());
    installer.stage(b.container());

    assertThat(installer.stage(a.container())).contains("the root holds sha256 ");
    assertThat(staged).doesNotExist();
    assertThat(records.read("web").next()).isNull();
  }

  @Test
  void aTarballWhoseHashDoesNotMatchStagesNothing() throws IOException {
    installer.install(a.container());
    Files.writeString(host.resolve("srv/b.tar"), "not the tarball of b");

    assertThatThrownBy(() -> installer.stage(b.container()))
        .hasMessageContaining("sha256 mismatch");
    assertThat(staged).doesNotExist();
    assertThat(records.read("web").next()).isNull();
    assertThat(installer.swapIn("web")).startsWith("no staged root");
    assertThat(root.resolve("marker-a")).exists();
  }

  @Test
  void aTreeAtTheStagedPathThatTheRecordDoesNotNameIsNeverSwappedIn() throws IOException {
    installer.install(a.container());
    Files.createDirectories(staged.resolve("etc"));

    assertThat(installer.swapIn("web")).startsWith("no staged root");
    assertThat(root.resolve("marker-a")).exists();
  }

  @Test
  void aSwapKilledBetweenItsRenamesIsFinishedByTheNextCall() throws IOException {
    installer.install(a.container());
    installer.stage(b.container());
    // Killed after the record said "moving in" and the first rename (root to previous).
    records.write("web", records.read("web").moving(RootRecord.Move.IN));
    Files.move(root, previous);

    installer.swapIn("web");

    assertThat(root.resolve("marker-b")).exists();
    assertThat(previous.resolve("marker-a")).exists();
    assertThat(records.read("web")).isEqualTo(new RootRecord(b.sha256(), null, a.sha256(), null));
  }

  @Test
  void aSwapKilledAfterBothRenamesIsOnlyRecordedByTheNextCall() throws IOException {
    installer.install(a.container());
    installer.stage(b.container());
    records.write("web", records.read("web").moving(RootRecord.Move.IN));
    Files.move(root, previous);
    Files.move(staged, root);

    // The next pass stages b again first: the interrupted swap is finished, nothing unpacked.
    assertThat(installer.stage(b.container())).contains("the root holds sha256 ");
    assertThat(installer.swapIn("web")).startsWith("no staged root");
    assertThat(root.resolve("marker-b")).exists();
    assertThat(previous.resolve("marker-a")).exists();
    assertThat(records.read("web")).isEqualTo(new RootRecord(b.sha256(), null, a.sha256(), null));
  }

  @Test
  void swapBackRestoresThePreviousRootAndDiscardsTheReplacedOne() throws IOException {
    installer.install(a.container());
    installer.stage(b.container());
    installer.swapIn("web");

    assertThat(installer.swapBack("web")).startsWith("swapped the previous root back in");

    assertThat(root.resolve("marker-a")).exists();
    assertThat(staged).doesNotExist();
    assertThat(previous).doesNotExist();
    assertThat(records.read("web")).isEqualTo(new RootRecord(a.sha256(), null, null, null));
    assertThatThrownBy(() -> installer.swapBack("web"))
        .hasMessage("no previous root of web to swap back to");
  }

  @Test
  void aSwapBackKilledBetweenItsRenamesIsFinishedByTheNextCall() throws IOException {
    installer.install(a.container());
    installer.stage(b.container());
    installer.swapIn("web");
    // Killed after the record said "moving back" and the first rename (root to staged): the trees
    // look as in the middle of a swap in, so only the record tells the way.
    records.write("web", records.read("web").moving(RootRecord.Move.BACK));
    Files.move(root, staged);

    installer.swapIn("web");

    assertThat(root.resolve("marker-a")).exists();
    assertThat(staged).doesNotExist();
    assertThat(previous).doesNotExist();
    assertThat(records.read("web")).isEqualTo(new RootRecord(a.sha256(), null, null, null));
  }

  @Test
  void aRootFromBeforeTheRecordsIsReplacedAndItsTarballCollected() throws IOException {
    installer.install(a.container());
    Files.delete(cache.resolve("roots/web"));

    installer.stage(b.container());
    installer.swapIn("web");

    assertThat(records.read("web"))
        .isEqualTo(new RootRecord(b.sha256(), null, RootRecord.UNKNOWN, null));
    assertThat(installer.swapBack("web")).contains("image not recorded");
    assertThat(root.resolve("marker-a")).exists();
  }

  @Test
  void theCacheKeepsWhatADesiredContainerOrAnyRecordedRootHoldsAndForgetsRemovedOnes()
      throws IOException {
    installer.install(a.container());
    installer.stage(b.container());

    assertThat(installer.collectUnused(List.of())).as("a root holds a, the staged b").isEmpty();

    new dev.berth.agent.files.RootHostFiles(host).deleteTree("var/lib/machines/web");
    new dev.berth.agent.files.RootHostFiles(host).deleteTree("var/lib/machines/.web.berth-next");
    assertThat(installer.collectUnused(List.of(b.container()))).contains("deleted sha256 ");
    assertThat(cached(a)).doesNotExist();
    assertThat(cached(b)).as("desired").exists();
    assertThat(records.names()).as("its trees are gone").isEmpty();
  }

  @Test
  void aTreeThatIsGoneHoldsNoImageThoughItsRecordStillNamesIt() throws IOException {
    installer.install(a.container());
    installer.stage(b.container());
    // A removal keeps the root (removePolicy Retain) and deletes berth's staged tree.
    new dev.berth.agent.files.RootHostFiles(host).deleteTree("var/lib/machines/.web.berth-next");

    assertThat(installer.collectUnused(List.of())).contains("deleted sha256 ");

    assertThat(cached(a)).as("the kept root holds a").exists();
    assertThat(cached(b)).doesNotExist();
  }
}
