package dev.berth.agent.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.berth.agent.daemon.HostEvents;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the agent when a file of berth's changes by hand — a {@code .nspawn}, a unit drop-in, a
 * berth network file — so that the drift is seen at once instead of at the next poll: the JDK's
 * {@link WatchService}, inotify on Linux, on the directories berth writes. Only berth's own file
 * names count; the agent's own writes cause one follow-up pass that finds nothing to do.
 */
public final class BerthFilesWatch implements HostEvents {
  private static final String UNIT_DROP_INS = "systemd-nspawn@";

  private final Path root;

  public BerthFilesWatch(Path root) {
    this.root = root;
  }

  @Override
  public AutoCloseable subscribe(Runnable onChange) {
    try {
      WatchService service = root.getFileSystem().newWatchService();
      Map<WatchKey, Path> watched = new ConcurrentHashMap<>();
      for (String dir : new String[] {HostPaths.NSPAWN_DIR, HostPaths.NETWORK_DIR}) {
        Path path = root.resolve(dir);
        Files.createDirectories(path); // berth writes there; watching needs it to exist
        watch(service, watched, path);
      }
      Path units = root.resolve(HostPaths.UNIT_DIR);
      Files.createDirectories(units);
      watch(service, watched, units);
      try (DirectoryStream<Path> dropIns = Files.newDirectoryStream(units, UNIT_DROP_INS + "*")) {
        for (Path dropIn : dropIns) {
          if (Files.isDirectory(dropIn)) {
            watch(service, watched, dropIn);
          }
        }
      }
      Thread thread = new Thread(() -> run(service, watched, units, onChange), "berth-files-watch");
      thread.setDaemon(true);
      thread.start();
      return service::close;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch berth's files under " + root, e);
    }
  }

  private void run(
      WatchService service, Map<WatchKey, Path> watched, Path units, Runnable onChange) {
    try {
      while (true) {
        WatchKey key = service.take();
        Path dir = watched.get(key);
        boolean changed = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == OVERFLOW) {
            changed = true; // events were lost: look again
            continue;
          }
          Path name = (Path) event.context();
          if (dir.equals(units) && name.toString().startsWith(UNIT_DROP_INS)) {
            Path dropIn = dir.resolve(name);
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(dropIn)) {
              changed |= !watchNew(service, watched, dropIn);
            }
            changed |= event.kind() == ENTRY_DELETE;
          } else {
            changed |= isBerths(dir, name.toString());
          }
        }
        if (!key.reset()) {
          watched.remove(key);
        }
        if (changed) {
          onChange.run();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the agent stops
    }
  }

  /** Watches a new drop-in directory; false when it went away first (a change all the same). */
  private static boolean watchNew(WatchService service, Map<WatchKey, Path> watched, Path dir) {
    try {
      watch(service, watched, dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code name} in {@code dir} is a file that berth writes. */
  private boolean isBerths(Path dir, String name) {
    Path relative = root.relativize(dir);
    if (relative.equals(Path.of(HostPaths.NSPAWN_DIR))) {
      return name.endsWith(".nspawn");
    }
    if (relative.equals(Path.of(HostPaths.NETWORK_DIR))) {
      return HostPaths.isNetworkFileName(name);
    }
    return name.equals(HostPaths.DROP_IN_NAME); // in a systemd-nspawn@NAME.service.d
  }

  private static void watch(WatchService service, Map<WatchKey, Path> watched, Path dir)
      throws IOException {
    watched.put(dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
  }
}
