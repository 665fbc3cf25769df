package dev.berth.agent.source;

import dev.berth.agent.tls.CaCertificates;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How berth talks to the remote: the URL, the timeout, and the credentials its scheme takes (an
 * HTTPS token, or an SSH deploy key with a strictly checked known_hosts file); over https, the CAs
 * of {@code source.caFile} are trusted besides the JVM's.
 */
final class RemoteAccess implements AutoCloseable {

  /** The user name sent with a bare token: GitHub wants it, GitLab and Gitea accept any. */
  static final String TOKEN_USER = "x-access-token";

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final String url;
  private final String displayUrl;
  private final int timeoutSeconds;
  private final Path tokenFile;
  private final SshdSessionFactory ssh;
  private final HttpConnectionFactory https;
  private final Optional<LocalRefs> localRefs;

  /** {@code cas}: the CAs trusted over https besides the JVM's, or null for the JVM's only. */
  RemoteAccess(
      String url, Duration timeout, SourceSettings.Auth auth, Path sshHome, CaCertificates cas) {
    this.url = url;
    this.displayUrl = withoutUserInfo(url);
    Duration t =
        timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
    this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, t.toSeconds()));
    SourceSettings.Auth a = auth == null ? SourceSettings.Auth.NONE : auth;
    String scheme = scheme(url);
    if (a.tokenFile() != null && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "source.auth.tokenFile is only sent over https; the url " + displayUrl + " is " + scheme);
    }
    this.tokenFile = a.tokenFile();
    this.localRefs = LocalRefs.of(url);
    this.https = cas == null ? null : new TrustingConnections(cas);
    if (scheme.equals("ssh")) {
      if (a.knownHostsFile() == null) {
        throw new IllegalArgumentException(
            "an ssh source needs source.auth.knownHostsFile (the "
                + "server's host key, e.g. from ssh-keyscan), so that the server is verified");
      }
      this.ssh = sshFactory(a.sshKeyFile(), a.knownHostsFile(), sshHome);
    } else {
      if (a.sshKeyFile() != null || a.knownHostsFile() != null) {
        throw new IllegalArgumentException(
            "source.auth.sshKeyFile and knownHostsFile are for "
                + "ssh:// urls; the url "
                + displayUrl
                + " is "
                + scheme);
      }
      this.ssh = null;
    }
  }

  String url() {
    return url;
  }

  /** A reader of the refs when the remote is on this machine, read without a transport. */
  Optional<LocalRefs> localRefs() {
    return localRefs;
  }

  /** The URL without any user or password, for messages. */
  String displayUrl() {
    return displayUrl;
  }

  int timeoutSeconds() {
    return timeoutSeconds;
  }

  /**
   * The remote's refs whose names start with {@code prefix}, from one ref advertisement: over
   * git://, http(s) and ssh JGit speaks protocol v2 here (no repository, so no config can turn it
   * down) and sends {@code ls-refs} with this {@code ref-prefix}, so that the server lists only
   * those refs and nothing else is asked. A server that speaks only v0 advertises all its refs, and
   * the others are dropped here.
   */
  Map<String, Ref> advertisedRefs(String prefix) throws IOException, URISyntaxException {
    try (Transport transport = Transport.open(new URIish(url))) {
      transport.setTimeout(timeoutSeconds);
      Token token = tokenFile == null ? null : Token.read(tokenFile);
      if (token != null) {
        transport.setCredentialsProvider(token.credentials());
      }
      connectWith(transport, token);
      try (FetchConnection connection = transport.openFetch(List.of(), prefix)) {
        Map<String, Ref> refs = new HashMap<>();
        for (Ref ref : connection.getRefs()) {
          if (ref.getName().startsWith(prefix)) {
            refs.put(ref.getName(), ref);
          }
        }
        return refs;
      }
    }
  }

  /** Sets the timeout and credentials on a command. */
  <C extends TransportCommand<C, ?>> C configure(C command) throws IOException {
    command.setTimeout(timeoutSeconds);
    Token token = tokenFile == null ? null : Token.read(tokenFile);
    if (token != null) {
      command.setCredentialsProvider(token.credentials());
    }
    command.setTransportConfigCallback(transport -> connectWith(transport, token));
    return command;
  }

  /**
   * The ssh keys and known_hosts, or the https CAs and the token, of this remote. Over https the
   * token goes with the first request (preemptive Basic auth): waiting for the server's 401
   * challenge, as JGit does with credentials alone, cost one more request per poll.
   */
  private void connectWith(Transport transport, Token token) {
    if (ssh != null && transport instanceof SshTransport sshTransport) {
      sshTransport.setSshSessionFactory(ssh);
    }
    if (transport instanceof TransportHttp http) {
      if (https != null) {
        http.setHttpConnectionFactory(https);
      }
      if (token != null) {
        http.setAdditionalHeaders(Map.of("Authorization", token.basicAuthorization()));
      }
    }
  }

  /** The user and secret of {@code source.auth.tokenFile}. */
  private record Token(String user, String secret) {
    // Read on every use, so that a rotated token is picked up without a restart.
    static Token read(Path tokenFile) throws IOException {
      String text;
      try {
        text = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new CredentialsUnreadable(
            "cannot read source.auth.tokenFile " + tokenFile + ": " + Failures.describe(e), e);
      }
      if (text.isEmpty()) {
        throw new CredentialsUnreadable("source.auth.tokenFile " + tokenFile + " is empty", null);
      }
      // "user:password" is basic auth; anything else is a token (e.g. "oauth2:TOKEN" for GitLab).
      int colon = text.indexOf(':');
      return colon > 0
          ? new Token(text.substring(0, colon), text.substring(colon + 1))
          : new Token(TOKEN_USER, text);
    }

    UsernamePasswordCredentialsProvider credentials() {
      return new UsernamePasswordCredentialsProvider(user, secret);
    }

    String basicAuthorization() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Token[user=" + user + ", secret=redacted]";
    }
  }

  private static SshdSessionFactory sshFactory(Path key, Path knownHosts, Path home) {
    File homeDir = home.toFile();
    return new SshdSessionFactoryBuilder()
        // A private, empty home: no ~/.ssh/config, keys or known_hosts of whoever runs the agent.
        .setHomeDirectory(homeDir)
        .setSshDirectory(homeDir)
        .setConfigStoreFactory((h, f, user) -> null)
        .setDefaultKnownHostsFiles(dir -> List.of(knownHosts))
        .setServerKeyDatabase((h, dir) -> new StrictKnownHosts(knownHosts))
        .setDefaultIdentities(dir -> key == null ? List.of() : List.of(key))
        .setPreferredAuthentications("publickey")
        .setConnectorFactory(null) // no ssh-agent
        .build(null);
  }

  /** file, https, http, ssh (also scp-like user@host:path), git; a plain path is file. */
  static String scheme(String url) {
    try {
      URIish uri = new URIish(url);
      if (uri.getScheme() != null) {
        return uri.getScheme().toLowerCase(Locale.ROOT);
      }
      return uri.getHost() != null ? "ssh" : "file";
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "source.url " + url + " is not a Git URL: " + e.getReason());
    }
  }

  static String withoutUserInfo(String url) {
    try {
      URIish uri = new URIish(url);
      return uri.getPass() == null ? url : uri.setPass(null).toString();
    } catch (URISyntaxException e) {
      return url;
    }
  }

  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
    localRefs.ifPresent(LocalRefs::close);
  }

  /** The configured credentials could not be read: an authentication failure on our side. */
  static final class CredentialsUnreadable extends IOException {
    CredentialsUnreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
