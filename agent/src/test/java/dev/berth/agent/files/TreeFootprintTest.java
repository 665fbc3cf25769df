package dev.berth.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeFootprintTest {
  @TempDir Path tree;

  @Test
  void countsRegularFilesOnceAcrossHardLinksAndIgnoresSymlinks() throws Exception {
    Files.createDirectories(tree.resolve("var/data"));
    Files.write(tree.resolve("var/data/a"), new byte[3000]);
    Files.write(tree.resolve("b"), new byte[500]);
    Files.createLink(tree.resolve("var/a-again"), tree.resolve("var/data/a"));
    Files.createSymbolicLink(tree.resolve("to-a"), tree.resolve("var/data/a"));

    assertThat(TreeFootprint.bytes(tree)).isEqualTo(3500);
  }

  @Test
  void sizesReadAsAPersonWouldSayThem() {
    assertThat(TreeFootprint.human(512)).isEqualTo("512 B");
    assertThat(TreeFootprint.human(6_176_616)).isEqualTo("5.9 MiB");
    assertThat(TreeFootprint.human(1L << 30)).isEqualTo("1.0 GiB");
  }
}
