package dev.berth.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.render.HostFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host files that are not what berth wrote: too large, or symlinks planted in a container. */
class RootHostFilesTest {
  private static final String NETWORK =
      "var/lib/machines/c/etc/systemd/network/20-berth-host0.network";

  @TempDir Path root;

  @Test
  void aHugeFileInAContainersTreeIsRefusedUnread() throws Exception {
    Path planted = root.resolve(NETWORK);
    Files.createDirectories(planted.getParent());
    try (RandomAccessFile file = new RandomAccessFile(planted.toFile(), "rw")) {
      file.setLength(3L << 30); // sparse: 3 GiB that take no disk and no time
    }

    for (var files :
        new dev.berth.reconciler.plan.InstalledFiles[] {
          new RootHostFiles(root), new RootInstalledFiles(root)
        }) {
      assertThatThrownBy(() -> files.read(NETWORK))
          .isInstanceOf(IOException.class)
          .hasMessage(
              "refusing to read "
                  + planted
                  + ": it is 3221225472 bytes, more than the limit of 1048576 bytes for a file"
                  + " berth reads on a host");
    }
  }

  @Test
  void aHostFileOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws Exception {
    Path nspawn = root.resolve("etc/systemd/nspawn/a.nspawn");
    Files.createDirectories(nspawn.getParent());
    Files.write(nspawn, new byte[ReadLimit.HOST_FILE.maxBytes() + 1]);

    assertThatThrownBy(() -> new RootInstalledFiles(root).read("etc/systemd/nspawn/a.nspawn"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(nspawn.toString())
        .hasMessageContaining("more than the limit of 1048576 bytes");

    Files.write(nspawn, new byte[ReadLimit.HOST_FILE.maxBytes()]);
    assertThat(new RootInstalledFiles(root).read("etc/systemd/nspawn/a.nspawn").orElseThrow())
        .hasSize(ReadLimit.HOST_FILE.maxBytes());
  }

  @Test
  void aFileLargerThanItsReportedSizeIsCutOffWhileRead() throws Exception {
    // /proc reports a size of 0 for files that hold more: as a file that grew after the check.
    Path status = Path.of("/proc/self/status");
    try (FileChannel channel = FileChannel.open(status)) {
      assertThat(channel.size()).isZero();
      assertThatThrownBy(() -> new ReadLimit(64, "a test file").read(channel, status))
          .isInstanceOf(ReadLimit.Exceeded.class)
          .hasMessage(
              "refusing to read /proc/self/status: it holds more than the limit of 64 bytes for a"
                  + " test file (it grew while it was read)");
    }
  }

  @Test
  void aSymlinkedNetworkFileIsNotFollowedOutOfTheContainer() throws Exception {
    Path secret = Files.writeString(root.resolve("etc-shadow"), "root:secret\n");
    Path planted = root.resolve(NETWORK);
    Files.createDirectories(planted.getParent());
    Files.createSymbolicLink(planted, secret);
    RootHostFiles files = new RootHostFiles(root);

    assertThatThrownBy(() -> files.read(NETWORK))
        .hasMessage(
            "refusing to read through the symlink " + planted + " inside a container's tree");
    assertThatThrownBy(() -> new RootInstalledFiles(root).read(NETWORK))
        .hasMessageContaining("refusing to read through the symlink");
    assertThatThrownBy(() -> files.write(new HostFile(NETWORK, "[Match]\n")))
        .hasMessageContaining("refusing to write through the symlink " + planted);
    assertThat(secret).hasContent("root:secret");
  }

  @Test
  void aSymlinkedDirectoryIsNotFollowedOutOfTheContainerToReadWriteOrDelete() throws Exception {
    Path hostNetwork = root.resolve("etc/systemd/network");
    Path hostFile = Files.createDirectories(hostNetwork).resolve("20-berth-host0.network");
    Files.writeString(hostFile, "the host's own\n");
    Path containerSystemd = root.resolve("var/lib/machines/c/etc/systemd");
    Files.createDirectories(containerSystemd.getParent());
    Files.createSymbolicLink(containerSystemd, root.resolve("etc/systemd"));
    RootHostFiles files = new RootHostFiles(root);

    assertThatThrownBy(() -> files.read(NETWORK))
        .hasMessage(
            "refusing to read through the symlink "
                + containerSystemd
                + " inside a container's tree");
    assertThatThrownBy(() -> files.write(new HostFile(NETWORK, "[Match]\n")))
        .hasMessageContaining("refusing to write through the symlink " + containerSystemd);
    assertThatThrownBy(() -> files.delete(NETWORK))
        .hasMessageContaining("refusing to delete through the symlink " + containerSystemd);
    assertThat(hostFile).hasContent("the host's own");
  }

  @Test
  void realFilesInAContainersTreeReadAsBefore() throws Exception {
    RootHostFiles files = new RootHostFiles(root);
    assertThat(files.read(NETWORK)).isEmpty();

    files.write(new HostFile(NETWORK, "[Match]\nName=host0\n"));

    assertThat(files.read(NETWORK)).contains("[Match]\nName=host0\n");
    assertThat(new RootInstalledFiles(root).read(NETWORK)).contains("[Match]\nName=host0\n");
    files.delete(NETWORK);
    assertThat(files.read(NETWORK)).isEmpty();
  }

  @Test
  void aSymlinkSwappedInWhileBerthWritesAndDeletesNeverLetsItReachTheHost() throws Exception {
    Path hostNetwork = Files.createDirectories(root.resolve("etc/systemd/network"));
    Path hostFile = hostNetwork.resolve("20-berth-host0.network");
    Path containerNetwork = root.resolve(NETWORK).getParent();
    Files.createDirectories(containerNetwork);
    Path away = containerNetwork.resolveSibling("network.away");
    RootHostFiles files = new RootHostFiles(root);
    AtomicBoolean done = new AtomicBoolean();
    // The container's side: swaps its network directory for a symlink to the host's and back, as
    // fast as it can, while berth writes and deletes its file there.
    Thread swapper =
        new Thread(
            () -> {
              while (!done.get()) {
                swapOnce(containerNetwork, away, hostNetwork);
              }
            });
    swapper.setDaemon(true);
    swapper.start();
    int refused = 0;
    try {
      for (int i = 0; i < 3000 && !Files.exists(hostFile); i++) {
        try {
          files.write(new HostFile(NETWORK, "[Match]\nName=host0\n"));
          files.delete(NETWORK);
        } catch (IOException | UncheckedIOException e) {
          refused++;
        }
      }
    } finally {
      done.set(true);
      swapper.join();
    }

    assertThat(hostFile).as("berth's file written through the swapped-in symlink").doesNotExist();
    assertThat(refused).as("writes that met the symlink").isPositive();
    try (var left = Files.list(hostNetwork)) {
      assertThat(left).as("no temp file left on the host either").isEmpty();
    }
  }

  /**
   * One round of the container's swap. Each step may meet berth's work (it creates a directory that
   * is missing), so none of them may end the loop.
   */
  private static void swapOnce(Path network, Path away, Path target) {
    quietly(() -> Files.move(network, away));
    quietly(() -> Files.createSymbolicLink(network, target));
    quietly(
        () -> {
          if (Files.isSymbolicLink(network)) {
            Files.delete(network);
          }
        });
    quietly(
        () -> {
          if (!Files.exists(network, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.move(away, network);
          } else {
            try (var stale = Files.walk(away)) {
              for (Path path : stale.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
              }
            }
          }
        });
  }

  private interface Step {
    void run() throws IOException;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (IOException | UncheckedIOException e) {
      // raced with berth: the next round goes on
    }
  }
}
