package dev.berth.agent.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's Git source, as {@code AgentConfig.source} says; {@code allowRewind} lets a wanted
 * commit that does not descend from the applied one through ({@link RewindGuard}).
 */
public record SourceSettings(
    String url,
    Ref ref,
    String path,
    Duration timeout,
    Auth auth,
    Verify verify,
    boolean allowRewind) {

  /** Settings that refuse a rewind, the default. */
  public SourceSettings(
      String url, Ref ref, String path, Duration timeout, Auth auth, Verify verify) {
    this(url, ref, path, timeout, auth, verify, false);
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
  }

  /**
   * A signature policy: commits must be signed by one of {@code allowedKeys} found in {@code
   * keyring}.
   */
  public record Verify(Path keyring, List<String> allowedKeys) {}
}
