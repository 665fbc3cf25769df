package dev.berth.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.render.HostFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitDirectoryTest {
  @TempDir Path root;

  @Test
  void onlyUnitFilesMoveAndOnlyWhenTheStandardDirectoryIsReadOnly() {
    UnitDirectory control = UnitDirectory.CONTROL;

    assertThat(control.physical("etc/systemd/system/systemd-nspawn@a.service.d/50-berth.conf"))
        .isEqualTo("etc/systemd/system.control/systemd-nspawn@a.service.d/50-berth.conf");
    assertThat(control.physical("etc/systemd/system")).isEqualTo("etc/systemd/system.control");
    assertThat(control.physical("etc/systemd/nspawn/a.nspawn"))
        .isEqualTo("etc/systemd/nspawn/a.nspawn");
    assertThat(control.physical("var/lib/machines/a/etc/systemd/system/x"))
        .isEqualTo("var/lib/machines/a/etc/systemd/system/x");
    assertThat(control.physical("etc/systemd/systemx")).isEqualTo("etc/systemd/systemx");
    assertThat(UnitDirectory.STANDARD.physical("etc/systemd/system/x"))
        .isEqualTo("etc/systemd/system/x");
    assertThat(UnitDirectory.of(root))
        .as("absent: berth creates it")
        .isEqualTo(UnitDirectory.STANDARD);
  }

  @Test
  void rootHostFilesReadAndWriteUnitFilesWhereTheHostLetsThem() throws Exception {
    RootHostFiles files = new RootHostFiles(root, UnitDirectory.CONTROL);
    String dropIn = "etc/systemd/system/systemd-nspawn@a.service.d/50-berth.conf";

    files.write(new HostFile(dropIn, "[Service]\n"));

    Path physical =
        root.resolve("etc/systemd/system.control/systemd-nspawn@a.service.d/50-berth.conf");
    assertThat(physical).hasContent("[Service]");
    assertThat(Files.exists(root.resolve(dropIn))).isFalse();
    assertThat(files.read(dropIn)).contains("[Service]\n");
    assertThat(files.exists(dropIn)).isTrue();
    files.delete(dropIn);
    assertThat(physical).doesNotExist();
  }
}
