package dev.berth.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real inotify of this machine, on a host root in a temporary directory. */
class BerthFilesWatchTest {
  @TempDir Path root;
  private final Semaphore changes = new Semaphore(0);
  private AutoCloseable watch;

  @BeforeEach
  void watch() throws Exception {
    Files.createDirectories(root.resolve("etc/systemd/system/systemd-nspawn@a.service.d"));
    watch = new BerthFilesWatch(root).subscribe(changes::release);
  }

  @AfterEach
  void close() throws Exception {
    watch.close();
  }

  @Test
  void aHandEditOfANspawnFileIsAChange() throws Exception {
    Files.writeString(root.resolve("etc/systemd/nspawn/a.nspawn"), "[Exec]\nBoot=yes\n");

    assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aDropInOfAnExistingAndOfANewContainerIsAChange() throws Exception {
    Files.writeString(
        root.resolve("etc/systemd/system/systemd-nspawn@a.service.d/50-berth.conf"), "[Unit]\n");
    assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).as("a's drop-in").isTrue();

    Path b = Files.createDirectories(root.resolve("etc/systemd/system/systemd-nspawn@b.service.d"));
    Thread.sleep(200); // the watcher registers the new directory when it hears of it
    changes.drainPermits();
    Files.writeString(b.resolve("50-berth.conf"), "[Unit]\n");
    assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).as("b's new drop-in").isTrue();
  }

  @Test
  void removingADropInDirectoryAndBerthsNetworkFilesAreChanges() throws Exception {
    Files.writeString(root.resolve("etc/systemd/network/20-berth-ve-a.network"), "[Match]\n");
    assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).as("a network file").isTrue();

    Files.delete(root.resolve("etc/systemd/system/systemd-nspawn@a.service.d"));
    assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).as("the drop-in directory").isTrue();
  }

  @Test
  void filesThatAreNotBerthsAreNoChange() throws Exception {
    Files.writeString(root.resolve("etc/systemd/network/10-uplink.network"), "[Match]\n");
    Files.writeString(root.resolve("etc/systemd/system/backup.service"), "[Service]\n");
    Files.writeString(
        root.resolve("etc/systemd/system/systemd-nspawn@a.service.d/60-mine.conf"), "[Unit]\n");

    assertThat(changes.tryAcquire(2, TimeUnit.SECONDS)).isFalse();
  }
}
