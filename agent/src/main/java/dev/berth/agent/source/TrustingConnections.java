package dev.berth.agent.source;

import dev.berth.agent.tls.CaCertificates;
import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.security.GeneralSecurityException;
import javax.net.ssl.TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * JGit's HTTP connections, with the CAs of {@code source.caFile} trusted besides the JVM's own: an
 * https connection gets their trust manager before it connects. The host name is still verified
 * against the certificate as JGit's default connections do.
 */
final class TrustingConnections extends JDKHttpConnectionFactory {
  private final TrustManager[] trust;

  TrustingConnections(CaCertificates cas) {
    this.trust = new TrustManager[] {cas.trustManager()};
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return trusting(super.create(url));
  }

  @Override
  public HttpConnection create(URL url, Proxy proxy) throws IOException {
    return trusting(super.create(url, proxy));
  }

  private HttpConnection trusting(HttpConnection connection) throws IOException {
    if (!"https".equalsIgnoreCase(connection.getURL().getProtocol())) {
      return connection;
    }
    try {
      connection.configure(null, trust, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS for " + connection.getURL().getHost(), e);
    }
    return connection;
  }
}
