package dev.berth.reconciler.load;

import dev.berth.reconciler.source.ManifestFile;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The manifest files of the last two loads, read and checked, by path and content: a new revision
 * re-reads only the files that changed. Share one between the loads of one agent; it is safe to
 * read {@link #stats} from another thread.
 *
 * <p>Entries are keyed by the file's path together with its content identity (the Git blob id, or
 * the SHA-256 of its bytes when the tree gives none), because a file's checked documents carry the
 * path in every mark and finding: keyed by the path too, a reused entry is exactly what reading the
 * file again would give, and a renamed file is simply read again. Entries are also bound to the
 * version of the loader that made them (its CRD schemas' digest and its limits): a load by another
 * version empties the cache.
 */
public final class ManifestCache {

  /**
   * The cache's size and use so far; {@code sourceBytes} is the YAML its entries were read from.
   */
  public record Stats(int entries, long sourceBytes, long hits, long misses) {}

  private record Key(String path, String contentId) {}

  private String version;
  private Map<Key, CheckedFile> current = new HashMap<>();
  private Map<Key, CheckedFile> previous = new HashMap<>();
  private long hits;
  private long misses;

  public synchronized Stats stats() {
    long bytes = 0;
    int entries = 0;
    for (Map.Entry<Key, CheckedFile> entry : previous.entrySet()) {
      if (!current.containsKey(entry.getKey())) {
        bytes += entry.getValue().sourceBytes();
        entries++;
      }
    }
    for (CheckedFile file : current.values()) {
      bytes += file.sourceBytes();
    }
    return new Stats(entries + current.size(), bytes, hits, misses);
  }

  /** Starts one load by a loader of {@code version}; end it with {@link Load#finish}. */
  synchronized Load begin(String version) {
    if (!version.equals(this.version)) {
      this.version = version;
      current = new HashMap<>();
      previous = new HashMap<>();
    }
    return new Load(version);
  }

  /** The files one load used: after it, they and the previous load's files are all that stay. */
  final class Load {
    private final String version;
    private final Map<Key, CheckedFile> used = new HashMap<>();

    /** The key of each file asked for, so that its content id is computed once. */
    private final Map<ManifestFile, Key> keys = new IdentityHashMap<>();

    private Load(String version) {
      this.version = version;
    }

    /**
     * The file as checked before, when its path and content were seen and it was read at all; else
     * null. Nothing is counted or kept until {@link #used}.
     */
    CheckedFile reusable(ManifestFile file) {
      if (file.refusal() != null) {
        return null; // nothing was read, nothing to keep
      }
      return lookup(keys.computeIfAbsent(file, f -> new Key(f.path(), contentId(f))));
    }

    /**
     * Keeps {@code checked} for {@code file}, counted as a hit if it came from {@link #reusable}
     * and as a miss if it was checked anew.
     */
    void used(ManifestFile file, CheckedFile checked, boolean reused) {
      if (file.refusal() != null) {
        return;
      }
      synchronized (ManifestCache.this) {
        if (reused) {
          hits++;
        } else {
          misses++;
        }
      }
      Key key = keys.remove(file);
      used.put(key != null ? key : new Key(file.path(), contentId(file)), checked);
    }

    void finish() {
      synchronized (ManifestCache.this) {
        if (version.equals(ManifestCache.this.version)) { // else a load of another version came
          previous = current;
          current = used;
        }
      }
    }
  }

  private synchronized CheckedFile lookup(Key key) {
    CheckedFile checked = current.get(key);
    return checked != null ? checked : previous.get(key);
  }

  private static String contentId(ManifestFile file) {
    if (file.contentId() != null) {
      return file.contentId();
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return "sha256:" + HexFormat.of().formatHex(sha256.digest(file.content()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
