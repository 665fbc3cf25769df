package dev.berth.agent.nix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.source.SourceFiles;
import dev.berth.agent.source.SourceFiles.Kind;
import dev.berth.agent.source.SourceFiles.SourceFile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceExportTest {
  @TempDir Path dir;

  private static SourceFiles files(SourceFile... files) {
    return new SourceFiles() {
      @Override
      public List<SourceFile> list() {
        return List.of(files);
      }

      @Override
      public InputStream open(SourceFile file) {
        return new ByteArrayInputStream(
            ("content of " + file.path()).getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  @Test
  void writesAReadOnlyTreeAndKeepsOnlyLinksThatStayInside() throws Exception {
    Path target = dir.resolve("export");
    SourceExport.write(
        files(
            new SourceFile("web.nix", Kind.FILE, "1"),
            new SourceFile("bin/tool", Kind.EXECUTABLE, "2"),
            new SourceFile("lib/d", Kind.SYMLINK, "../bin"),
            new SourceFile("lib/inside", Kind.SYMLINK, "../web.nix"),
            new SourceFile("lib/absolute", Kind.SYMLINK, "/etc/shadow"),
            new SourceFile("lib/up", Kind.SYMLINK, "../../outside"),
            new SourceFile("deep/a/b/c", Kind.SYMLINK, "../../../web.nix"),
            // Each link stays inside on its own; through "lib/d" (-> bin) this one goes above.
            new SourceFile("lib/through", Kind.SYMLINK, "d/../../..")),
        target);

    assertThat(Files.readString(target.resolve("web.nix"))).isEqualTo("content of web.nix");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("web.nix"))))
        .isEqualTo("r--r--r--");
    assertThat(Files.isExecutable(target.resolve("bin/tool"))).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("lib"))))
        .isEqualTo("r-xr-xr-x");
    assertThat(Files.readString(target.resolve("lib/inside"))).isEqualTo("content of web.nix");
    assertThat(Files.readString(target.resolve("deep/a/b/c"))).isEqualTo("content of web.nix");
    assertThat(target.resolve("lib/absolute")).doesNotExist();
    assertThat(Files.exists(target.resolve("lib/up"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(target.resolve("lib/through"), LinkOption.NOFOLLOW_LINKS)).isFalse();

    SourceExport.delete(target);
    assertThat(target).doesNotExist();
  }

  @Test
  void aPathThatClimbsOutIsNotWritten() throws Exception {
    Path target = dir.resolve("export");
    SourceExport.write(files(new SourceFile("../escaped.nix", Kind.FILE, "1")), target);

    assertThat(dir.resolve("escaped.nix")).doesNotExist();
  }
}
