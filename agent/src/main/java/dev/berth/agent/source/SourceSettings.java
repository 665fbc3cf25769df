package dev.berth.agent.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's Git source, as {@code AgentConfig.source} says: {@code url} first, then each of the
 * {@code mirrors} when it is unreachable or refuses the credentials; {@code allowRewind} lets a
 * wanted commit that does not descend from the applied one through ({@link RewindGuard}); {@code
 * caFile} (or null) names the PEM certificates of CAs trusted for https besides the JVM's own.
 */
public record SourceSettings(
    String url,
    List<String> mirrors,
    Ref ref,
    String path,
    Duration timeout,
    Auth auth,
    Verify verify,
    boolean allowRewind,
    Path caFile) {

  public SourceSettings {
    mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
  }

  /** Settings of one remote, no mirror, that trust the JVM's CAs only. */
  public SourceSettings(
      String url,
      Ref ref,
      String path,
      Duration timeout,
      Auth auth,
      Verify verify,
      boolean allowRewind) {
    this(url, List.of(), ref, path, timeout, auth, verify, allowRewind, null);
  }

  /** Settings of one remote that refuse a rewind, the default. */
  public SourceSettings(
      String url, Ref ref, String path, Duration timeout, Auth auth, Verify verify) {
    this(url, List.of(), ref, path, timeout, auth, verify, false, null);
  }

  /**
   * Exactly one is set: a branch to follow, a tag, a semver range over tags (highest match), a
   * commit.
   */
  public record Ref(String branch, String tag, String semver, String commit) {
    public String describe() {
      return branch != null
          ? "branch " + branch
          : tag != null ? "tag " + tag : semver != null ? "semver " + semver : "commit " + commit;
    }
  }

  /** Credentials, each read from a file: an SSH deploy key with known_hosts, or an HTTPS token. */
  public record Auth(Path sshKeyFile, Path knownHostsFile, Path tokenFile) {
    public static final Auth NONE = new Auth(null, null, null);

    /**
     * What of these credentials a remote of {@code scheme} takes: the token only over https, the
     * key only over ssh (a mirror may use another scheme than the primary).
     */
    Auth forScheme(String scheme) {
      return new Auth(
          scheme.equals("ssh") ? sshKeyFile : null,
          scheme.equals("ssh") ? knownHostsFile : null,
          scheme.equals("https") ? tokenFile : null);
    }
  }

  /**
   * A signature policy: commits must be signed by one of {@code allowedKeys} found in {@code
   * keyring}.
   */
  public record Verify(Path keyring, List<String> allowedKeys) {}
}
