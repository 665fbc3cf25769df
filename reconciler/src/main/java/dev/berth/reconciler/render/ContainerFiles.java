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

  /** Every file the container gets, unit and network files and credentials, by path. */
  public Map<String, String> byPath() {
    Map<String, String> all = new TreeMap<>();
    files.values().forEach(file -> all.put(file.path(), file.content()));
    credentials.values().forEach(file -> all.put(file.path(), file.content()));
    return all;
  }

  /** The SHA-256 of {@link #byPath()}: two renderings with the same digest are the same files. */
  public String digest() {
    return digest(byPath());
  }

  /** The SHA-256 of files by path, as {@link #digest()} computes it. */
  public static String digest(Map<String, String> byPath) {
    StringBuilder all = new StringBuilder();
    new TreeMap<>(byPath)
        .forEach(
            (path, content) ->
                all.append(path.length())
                    .append(':')
                    .append(path)
                    .append(content.length())
                    .append(':')
                    .append(content));
    return Marker.sha256(all.toString());
  }
}
