package dev.berth.agent.source;

/** Why the source could not give a revision; the agent keeps running the last good one. */
public final class SourceFailure extends Exception {

  /** Stable reasons, used in status conditions and metrics. */
  public enum Reason {
    UNREACHABLE("SourceUnreachable"),
    AUTH_FAILED("AuthenticationFailed"),
    REF_NOT_FOUND("RefNotFound"),
    PATH_NOT_FOUND("PathNotFound"),
    SIGNATURE_REFUSED("SignatureRefused"),
    CORRUPT("RepositoryCorrupt"),
    DISK_FULL("DiskFull"),
    REWIND_REFUSED("RewindRefused");

    private final String camelCase;

    Reason(String camelCase) {
      this.camelCase = camelCase;
    }

    public String camelCase() {
      return camelCase;
    }
  }

  private final Reason reason;
  private final String revision;
  private final String remote;

  public SourceFailure(Reason reason, String revision, String message, Throwable cause) {
    this(reason, revision, message, cause, "primary");
  }

  private SourceFailure(
      Reason reason, String revision, String message, Throwable cause, String remote) {
    super(message, cause);
    this.reason = reason;
    this.revision = revision;
    this.remote = remote;
  }

  /**
   * This failure as a mirror's: {@code role} is "mirror-1", ..., and its URL goes in the message.
   */
  SourceFailure fromMirror(String role, String url) {
    return new SourceFailure(
        reason, revision, getMessage() + " (from " + role + " " + url + ")", this, role);
  }

  /** Which remote failed: "primary", or "mirror-N" (the metrics' label). */
  public String remote() {
    return remote;
  }

  public Reason reason() {
    return reason;
  }

  /** The revision concerned (a refused commit, say), or null. */
  public String revision() {
    return revision;
  }
}
