package dev.berth.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarUnpackerTest {
  @TempDir Path tmp;

  /** Writes a tar with the given entries; each is {type, name, link or content}. */
  private Path tar(boolean gzip, String[]... entries) throws IOException {
    Path file = tmp.resolve(gzip ? "image.tar.gz" : "image.tar");
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = gzip ? new GZIPOutputStream(raw) : raw;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String[] e : entries) {
        TarArchiveEntry entry;
        switch (e[0]) {
          case "dir" -> entry = new TarArchiveEntry(e[1] + "/");
          case "sym" -> {
            entry = new TarArchiveEntry(e[1], TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(e[2]);
          }
          case "hard" -> {
            entry = new TarArchiveEntry(e[1], TarArchiveEntry.LF_LINK);
            entry.setLinkName(e[2]);
          }
          case "chr" -> entry = new TarArchiveEntry(e[1], TarArchiveEntry.LF_CHR);
          default -> {
            entry = new TarArchiveEntry(e[1], true);
            entry.setSize(e[2].getBytes(StandardCharsets.UTF_8).length);
            entry.setMode(e.length > 3 ? Integer.parseInt(e[3], 8) : 0644);
          }
        }
        tar.putArchiveEntry(entry);
        if (e[0].equals("file")) {
          tar.write(e[2].getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  @Test
  void unpacksFilesDirectoriesLinksAndModesAndSkipsDevices() throws IOException {
    Path image =
        tar(
            true,
            new String[] {"dir", "./etc"},
            new String[] {"file", "./etc/os-release", "ID=test\n"},
            new String[] {"file", "./bin/tool", "#!/bin/sh\n", "4755"},
            new String[] {"sym", "./bin/sh", "/bin/tool"},
            new String[] {"hard", "./bin/tool2", "./bin/tool"},
            new String[] {"chr", "./dev/null"});
    Path root = tmp.resolve("root");

    TarUnpacker.Unpacked unpacked = new TarUnpacker().unpack(image, root);

    assertThat(unpacked.entries()).isEqualTo(5);
    assertThat(unpacked.skippedSpecial()).isEqualTo(1);
    assertThat(root.resolve("etc/os-release")).hasContent("ID=test");
    assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("/bin/tool"));
    assertThat((Integer) Files.getAttribute(root.resolve("bin/tool"), "unix:mode") & 07777)
        .isEqualTo(04755);
    assertThat(Files.isSameFile(root.resolve("bin/tool"), root.resolve("bin/tool2"))).isTrue();
    assertThat(root.resolve("dev/null")).doesNotExist();
  }

  @Test
  void refusesEntriesThatLeaveTheRoot() throws IOException {
    for (String name : new String[] {"../escape", "/etc/passwd", "a/../../escape"}) {
      Path image = tar(false, new String[] {"file", name, "x"});
      assertThatThrownBy(
              () -> new TarUnpacker().unpack(image, tmp.resolve("root-" + name.hashCode())))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("refusing to unpack");
    }
    assertThat(tmp.resolve("escape")).doesNotExist();
  }

  @Test
  void refusesToWriteThroughASymlinkTheArchiveMade() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path image =
        tar(
            false,
            new String[] {"sym", "etc", outside.toString()},
            new String[] {"file", "etc/passwd", "owned"});

    assertThatThrownBy(() -> new TarUnpacker().unpack(image, tmp.resolve("root")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("below the symlink etc");
    assertThat(outside.resolve("passwd")).doesNotExist();
  }

  @Test
  void refusesHardLinksToFilesOutside() throws IOException {
    Path image = tar(false, new String[] {"hard", "stolen", "../../etc/shadow"});

    assertThatThrownBy(() -> new TarUnpacker().unpack(image, tmp.resolve("root")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("leaves the root");
  }

  @Test
  void theSkeletonIsCompletedWithoutOverwriting() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root/etc"));
    Files.writeString(root.resolve("os-release"), "ID=mine\n");

    Skeleton.complete(tmp.resolve("root"));

    assertThat(root.resolve("os-release")).hasContent("ID=mine");
    assertThat(root.resolve("machine-id")).exists().isEmptyFile();
    assertThat(Files.isDirectory(tmp.resolve("root/var"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void aTarballWithTheWrongHashIsNeverKept() throws IOException {
    Path image = tar(false, new String[] {"file", "etc/os-release", "ID=x\n"});
    TarballFetcher fetcher = new TarballFetcher(tmp.resolve("cache"));

    assertThatThrownBy(() -> fetcher.fetch(image.toUri().toString(), "0".repeat(64)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("sha256 mismatch")
        .hasMessageContaining("nothing was unpacked");
    assertThat(tmp.resolve("cache")).isEmptyDirectory();
    String sha = TarballFetcher.hash(image);
    assertThat(fetcher.fetch(image.toUri().toString(), sha)).hasFileName(sha + ".tar").exists();
  }
}
