package dev.berth.agent.files;

import dev.berth.reconciler.render.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where berth's unit files (a container's drop-in, its {@code machines.target.wants} link) go on a
 * host: {@code /etc/systemd/system}, or {@code /etc/systemd/system.control} where the former is
 * read-only, as on NixOS, which builds it from the store. systemd reads drop-ins and {@code .wants}
 * links from both. Paths keep their {@code etc/systemd/system} spelling everywhere else in berth;
 * only the files on the host move.
 */
public record UnitDirectory(String path) {
  public static final UnitDirectory STANDARD = new UnitDirectory(HostPaths.UNIT_DIR);
  public static final UnitDirectory CONTROL = new UnitDirectory("etc/systemd/system.control");

  /** The directory this host lets berth write: the standard one unless it is read-only. */
  public static UnitDirectory of(Path root) {
    Path standard = root.resolve(HostPaths.UNIT_DIR);
    return !Files.exists(standard) || Files.isWritable(standard) ? STANDARD : CONTROL;
  }

  /** Where the file berth calls {@code path} is on this host. */
  public String physical(String path) {
    if (isStandard()) {
      return path;
    }
    if (path.equals(HostPaths.UNIT_DIR)) {
      return this.path;
    }
    if (path.startsWith(HostPaths.UNIT_DIR + "/")) {
      return this.path + path.substring(HostPaths.UNIT_DIR.length());
    }
    return path;
  }

  public boolean isStandard() {
    return path.equals(HostPaths.UNIT_DIR);
  }
}
