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

  public SourceFailure(Reason reason, String revision, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.revision = revision;
  }

  public Reason reason() {
    return reason;
  }

  /** The revision concerned (a refused commit, say), or null. */
  public String revision() {
    return revision;
  }
}
