package dev.berth.agent.source;

import dev.berth.agent.errors.Causes;
import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.tls.TlsRefusal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.CorruptPackIndexException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.PackInvalidException;
import org.eclipse.jgit.errors.PackMismatchException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;

/**
 * Turns what JGit throws into a {@link SourceFailure} with a stable reason and one line that a user
 * can act on. JGit has few exception types for transport errors, so some are told apart by their
 * message.
 */
final class Failures {
  private static final int MAX_MESSAGE = 400;

  /** A failure, and whether the cache may be damaged and must be re-cloned. */
  record Classified(SourceFailure failure, boolean cacheDamaged) {}

  private Failures() {}

  /** A failure talking to the remote ({@code doing} is e.g. "checking", "fetching"). */
  static Classified remote(Throwable error, String doing, RemoteAccess remote) {
    String url = remote.displayUrl();
    if (isDiskFull(error)) {
      return diskFull(error, doing + " " + url);
    }
    Optional<RemoteAccess.CredentialsUnreadable> unreadable =
        Causes.find(error, RemoteAccess.CredentialsUnreadable.class);
    if (unreadable.isPresent()) {
      return of(Reason.AUTH_FAILED, unreadable.get().getMessage(), error);
    }
    if (isCorruption(error)) {
      return new Classified(
          failure(
              Reason.CORRUPT,
              "the Git cache is damaged while "
                  + doing
                  + " "
                  + url
                  + " ("
                  + describe(Causes.root(error))
                  + "); it is re-cloned at the next poll",
              error),
          true);
    }
    Optional<String> tls = TlsRefusal.describe(url, error);
    if (tls.isPresent()) {
      // The server could not prove who it is, as with an unknown ssh host key.
      return of(Reason.AUTH_FAILED, tls.get(), error);
    }
    String text = allMessages(error);
    if (text.contains("host key")
        || text.contains("server key did not validate")
        || text.contains("knownhosts")
        || text.contains("known_hosts")) {
      return of(
          Reason.AUTH_FAILED,
          "the host key of "
              + url
              + " is not in "
              + "source.auth.knownHostsFile or it changed; add the server's key (ssh-keyscan) "
              + "after checking it",
          error);
    }
    if (text.contains("not authorized")
        || text.contains("authentication")
        || text.contains("auth fail")
        || text.contains("not permitted")
        || text.contains("no more authentication methods")
        || text.contains("cannot log in")
        || text.contains("permission denied")) {
      return of(
          Reason.AUTH_FAILED,
          "authentication to " + url + " failed (" + cause(error, remote) + "); check source.auth",
          error);
    }
    Optional<UnknownHostException> unknownHost = Causes.find(error, UnknownHostException.class);
    if (unknownHost.isPresent()) {
      return of(
          Reason.UNREACHABLE,
          "unknown host in "
              + url
              + " ("
              + describe(unknownHost.get())
              + "); check the url and DNS",
          error);
    }
    if (has(error, SocketTimeoutException.class)
        || text.contains("timeout")
        || text.contains("timed out")) {
      return of(
          Reason.UNREACHABLE,
          "no answer from "
              + url
              + " within "
              + remote.timeoutSeconds()
              + "s while "
              + doing
              + "; will retry",
          error);
    }
    if (has(error, ConnectException.class) || has(error, NoRouteToHostException.class)) {
      return of(
          Reason.UNREACHABLE,
          "cannot connect to " + url + " (" + cause(error, remote) + "); will retry",
          error);
    }
    if (has(error, NoRemoteRepositoryException.class)
        || has(error, InvalidRemoteException.class)
        || has(error, RepositoryNotFoundException.class)
        || text.contains("not found")) {
      return of(
          Reason.UNREACHABLE,
          "no Git repository at " + url + " (or no access to it); check source.url",
          error);
    }
    return of(Reason.UNREACHABLE, doing + " " + url + " failed: " + cause(error, remote), error);
  }

  // JGit starts many messages with the URL, which the message already names.
  private static String cause(Throwable error, RemoteAccess remote) {
    return describe(Causes.root(error)).replace(remote.url() + ": ", "");
  }

  /** A failure reading the local cache. */
  static Classified local(Throwable error, String doing) {
    if (isDiskFull(error)) {
      return diskFull(error, doing);
    }
    if (isCorruption(error)) {
      return new Classified(
          failure(
              Reason.CORRUPT,
              "the Git cache is damaged ("
                  + doing
                  + ": "
                  + describe(Causes.root(error))
                  + "); it is re-cloned at the next poll",
              error),
          true);
    }
    // Disk full, permissions: re-cloning would not help, so the cache is kept.
    return of(
        Reason.CORRUPT,
        "cannot use the Git cache (" + doing + "): " + describe(Causes.root(error)),
        error);
  }

  /**
   * The disk holding the cache is full (ENOSPC) or the quota is spent: not the remote's fault, and
   * re-cloning would only fill it again, so the cache is kept and the operator is told to free
   * space.
   */
  private static boolean isDiskFull(Throwable error) {
    String text = allMessages(error);
    return text.contains("no space left on device") || text.contains("disk quota exceeded");
  }

  private static Classified diskFull(Throwable error, String doing) {
    return of(
        Reason.DISK_FULL,
        "the disk holding the Git cache is full ("
            + doing
            + ": "
            + describe(Causes.root(error))
            + "); free space there, the host keeps its last good revision until then",
        error);
  }

  static boolean isCorruption(Throwable error) {
    if (has(error, CorruptObjectException.class)
        || has(error, MissingObjectException.class)
        || has(error, PackInvalidException.class)
        || has(error, PackMismatchException.class)
        || has(error, CorruptPackIndexException.class)
        || has(error, BareCache.Damaged.class)) {
      return true;
    }
    String text = allMessages(error);
    return text.contains("corrupt")
        || text.contains("packfile")
        || text.contains("pack file")
        || text.contains("invalid pack")
        || text.contains("short read")
        || text.contains("unpack error")
        || text.contains("missing unknown")
        || text.contains("checksum")
        || text.contains("not a valid git repository")
        || text.contains("invalid object");
  }

  /** One line: the message without line breaks, at most a few hundred characters. */
  static String describe(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      message = error.getClass().getSimpleName();
    }
    if (error instanceof FileSystemException fs && fs.getReason() != null) {
      message = fs.getFile() + ": " + fs.getReason();
    }
    return oneLine(message);
  }

  static String oneLine(String message) {
    String line = message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE - 1) + "…";
  }

  static SourceFailure failure(Reason reason, String message, Throwable cause) {
    return new SourceFailure(reason, null, oneLine(message), cause);
  }

  private static Classified of(Reason reason, String message, Throwable cause) {
    return new Classified(failure(reason, message, cause), false);
  }

  private static String allMessages(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t : Causes.chain(error)) {
      text.append(t.getMessage()).append('\n');
    }
    return text.toString().toLowerCase(Locale.ROOT);
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    return Causes.find(error, type).isPresent();
  }
}
