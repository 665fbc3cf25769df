package dev.berth.agent.tls;

import dev.berth.agent.errors.Causes;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * What a failed TLS connection to an https server means to a user, in one line that names the
 * server and what to do: stated once for the Git remote and the tarball images.
 */
public final class TlsRefusal {
  private TlsRefusal() {}

  /** The agent's setting that names a CA file, which the Git remote's refusals point to. */
  public static final String AGENT_CA_SETTING = "source.caFile";

  /** The line for {@code error} when TLS with {@code url} failed, or empty when it did not. */
  public static Optional<String> describe(String url, Throwable error) {
    return describe(url, error, AGENT_CA_SETTING);
  }

  /**
   * As {@link #describe(String, Throwable)}, pointing an untrusted server's refusal to {@code
   * caSetting}, the setting where this run takes a CA file ({@code --ca-file} for the CLI).
   */
  public static Optional<String> describe(String url, Throwable error, String caSetting) {
    if (Causes.find(error, SSLException.class).isEmpty()) {
      return Optional.empty();
    }
    String cause = oneLine(Causes.root(error));
    if (Causes.find(error, CertPathBuilderException.class).isPresent()
        || Causes.find(error, CertPathValidatorException.class).isPresent()) {
      return Optional.of(
          "the TLS certificate of "
              + url
              + " is not issued by a CA this host trusts ("
              + cause
              + "); if the server is yours, name its CA's PEM file in "
              + caSetting);
    }
    return Optional.of(
        "TLS with " + url + " failed (" + cause + "); check the server's certificate and its name");
  }

  private static String oneLine(Throwable error) {
    String message = error.getMessage();
    return message == null || message.isBlank()
        ? error.getClass().getSimpleName()
        : message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
  }
}
