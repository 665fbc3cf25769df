package dev.berth.reconciler.apply;

import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host's files as one owner's pass sees them: the {@code .nspawn} files of the other owner's
 * containers are not listed (so the planner never proposes to remove them) and their files cannot
 * be written or deleted through this view. An imperative command's view also hides the zones'
 * network files, which belong to Git.
 */
public final class OwnedHostFiles implements HostFiles {
  /** The names a view hides, read when it is asked (the host lock keeps them still meanwhile). */
  @FunctionalInterface
  public interface Names {
    Set<String> get() throws IOException;
  }

  private final HostFiles files;
  private final Names hidden;
  private final String only;
  private final boolean zones;

  private OwnedHostFiles(HostFiles files, Names hidden, String only, boolean zones) {
    this.files = files;
    this.hidden = hidden;
    this.only = only;
    this.zones = zones;
  }

  /** The Git pass's view: everything but the imperative containers' files. */
  public static OwnedHostFiles forGit(HostFiles files, Names imperative) {
    return new OwnedHostFiles(files, imperative, null, true);
  }

  /** An imperative command's view: only the named container's files, no zones. */
  public static OwnedHostFiles forImperative(HostFiles files, String name) {
    return new OwnedHostFiles(files, Set::of, name, false);
  }

  private boolean visible(String container, Set<String> hiddenNow) {
    return !hiddenNow.contains(container) && (only == null || only.equals(container));
  }

  @Override
  public Optional<String> read(String path) throws IOException {
    return files.read(path);
  }

  @Override
  public List<String> list(String directory) throws IOException {
    List<String> names = files.list(directory);
    if (directory.equals(HostPaths.NSPAWN_DIR)) {
      Set<String> hiddenNow = hidden.get();
      return names.stream()
          .filter(name -> !name.endsWith(".nspawn") || visible(stem(name, ".nspawn"), hiddenNow))
          .toList();
    }
    if (directory.equals(HostPaths.NETWORK_DIR) && !zones) {
      return names.stream().filter(name -> HostPaths.zoneOfNetworkFile(name).isEmpty()).toList();
    }
    return names;
  }

  @Override
  public void write(HostFile file) throws IOException {
    guard(file.path());
    files.write(file);
  }

  @Override
  public void delete(String path) throws IOException {
    guard(path);
    files.delete(path);
  }

  @Override
  public boolean exists(String path) throws IOException {
    return files.exists(path);
  }

  @Override
  public void deleteTree(String path) throws IOException {
    guard(path);
    files.deleteTree(path);
  }

  /** Refuses a change to a file of a container this view does not own. */
  private void guard(String path) throws IOException {
    String owner = containerOf(path);
    if (owner != null && !visible(owner, hidden.get())) {
      throw new IOException(
          "refusing to change /" + path + ": container " + owner + " is not managed by this pass");
    }
    if (!zones && isZoneNetworkFile(path)) {
      throw new IOException("refusing to change /" + path + ": zones are managed from Git");
    }
  }

  private static boolean isZoneNetworkFile(String path) {
    String networkPrefix = HostPaths.NETWORK_DIR + "/";
    return path.startsWith(networkPrefix)
        && HostPaths.zoneOfNetworkFile(path.substring(networkPrefix.length())).isPresent();
  }

  private static String containerOf(String path) {
    if (path.startsWith(HostPaths.NSPAWN_DIR + "/") && path.endsWith(".nspawn")) {
      return stem(path.substring(HostPaths.NSPAWN_DIR.length() + 1), ".nspawn");
    }
    String unitPrefix = HostPaths.UNIT_DIR + "/systemd-nspawn@";
    if (path.startsWith(unitPrefix) && path.contains(".service.d/")) {
      return path.substring(unitPrefix.length(), path.indexOf(".service.d/"));
    }
    String networkPrefix = HostPaths.NETWORK_DIR + "/";
    if (path.startsWith(networkPrefix)) {
      return HostPaths.containerOfVethNetworkFile(path.substring(networkPrefix.length()))
          .orElse(null);
    }
    String credentialsPrefix = HostPaths.CREDENTIALS_DIR + "/";
    if (path.startsWith(credentialsPrefix)) {
      String rest = path.substring(credentialsPrefix.length());
      int slash = rest.indexOf('/');
      return slash < 0 ? rest : rest.substring(0, slash);
    }
    String machinesPrefix = HostPaths.MACHINES_DIR + "/";
    if (path.startsWith(machinesPrefix)) {
      String rest = path.substring(machinesPrefix.length());
      int slash = rest.indexOf('/');
      return HostPaths.machineOfTree(slash < 0 ? rest : rest.substring(0, slash));
    }
    return null;
  }

  private static String stem(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }
}
