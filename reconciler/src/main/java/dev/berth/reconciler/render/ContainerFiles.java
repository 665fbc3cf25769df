package dev.berth.reconciler.render;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The files one container gets on a host, by role. */
public record ContainerFiles(String name, Map<FileRole, HostFile> files) {
  public ContainerFiles {
    files = Collections.unmodifiableMap(new EnumMap<>(files));
  }

  public HostFile nspawn() {
    return files.get(FileRole.NSPAWN);
  }
}
