package dev.berth.agent.cli;

import dev.berth.agent.dbus.DbusHostRuntime;
import dev.berth.agent.files.JsonInventoryStore;
import dev.berth.agent.files.RootHostFiles;
import dev.berth.agent.images.HostImageInstaller;
import dev.berth.reconciler.apply.Applier;
import dev.berth.reconciler.apply.ApplyListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The live host's parts wired together: root {@code /}, berth's state in /var/lib/berth. */
final class LiveHost implements AutoCloseable {
  static final Path ROOT = Path.of("/");
  static final Path STATE_DIR = ROOT.resolve("var/lib/berth");

  private final DbusHostRuntime runtime;

  private LiveHost(DbusHostRuntime runtime) {
    this.runtime = runtime;
  }

  static LiveHost connect(Duration jobTimeout) throws IOException {
    return connect(jobTimeout, true);
  }

  static LiveHost connect(Duration jobTimeout, boolean changes) throws IOException {
    if (changes && uid() != 0) {
      throw new UserError("changing a live host needs root: run berth as root");
    }
    return new LiveHost(DbusHostRuntime.connect(jobTimeout));
  }

  Applier applier(ApplyListener listener, int parallelism) {
    return new Applier(
        runtime,
        new RootHostFiles(ROOT),
        new HostImageInstaller(ROOT, STATE_DIR.resolve("images")),
        new JsonInventoryStore(STATE_DIR),
        listener,
        parallelism);
  }

  /** The machine's host name, as the kernel knows it (no DNS). */
  static String hostname() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
  }

  private static int uid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  @Override
  public void close() {
    runtime.close();
  }
}
