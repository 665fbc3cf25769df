package dev.berth.reconciler.render;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files one container gets on a host: its unit and network files by role, and its sealed
 * credentials by ID (each the blob as the repository holds it, without berth's header, which
 * systemd would not read).
 */
public record ContainerFiles(
    String name, Map<FileRole, HostFile> files, Map<String, HostFile> credentials) {
  public ContainerFiles {
    files = Collections.unmodifiableMap(new EnumMap<>(files));
    credentials = Collections.unmodifiableMap(new TreeMap<>(credentials));
  }

  public ContainerFiles(String name, Map<FileRole, HostFile> files) {
    this(name, files, Map.of());
  }

  public HostFile nspawn() {
    return files.get(FileRole.NSPAWN);
  }
}
