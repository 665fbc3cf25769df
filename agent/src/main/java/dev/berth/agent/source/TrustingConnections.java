package dev.berth.agent.source;

import dev.berth.agent.tls.CaCertificates;
import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * JGit's HTTP connections, with the CAs of {@code source.caFile} trusted besides the JVM's own. The
 * host name is still verified against the certificate as JGit's default connections do.
 *
 * <p>Every https connection gets one shared socket factory, made once from one TLS context, so that
 * polls reuse the JDK's kept-alive connections and TLS sessions as they do with the JVM's own trust
 * store. JGit's own way ({@code HttpConnection.configure}) makes a new TLS context per connection,
 * which costs a full handshake at every poll. The factory is set where the JDK opens the
 * connection: JGit opens it through the URL, so the URL given to JGit's connection carries a
 * handler that does so.
 */
final class TrustingConnections extends JDKHttpConnectionFactory {
  private final SSLSocketFactory sockets;
  private final URLStreamHandler handler = new TrustingHandler();

  TrustingConnections(CaCertificates cas) {
    this.sockets = cas.sslContext().getSocketFactory();
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return isHttps(url) ? new JDKHttpConnection(trusting(url)) {} : super.create(url);
  }

  @Override
  public HttpConnection create(URL url, Proxy proxy) throws IOException {
    return isHttps(url) ? new JDKHttpConnection(trusting(url), proxy) {} : super.create(url, proxy);
  }

  private static boolean isHttps(URL url) {
    return "https".equalsIgnoreCase(url.getProtocol());
  }

  /** The same URL, opened by {@link TrustingHandler}. */
  private URL trusting(URL url) throws IOException {
    return new URL(null, url.toExternalForm(), handler);
  }

  /** Opens a URL as the JDK does, then hands the connection the shared socket factory. */
  private final class TrustingHandler extends URLStreamHandler {
    @Override
    protected URLConnection openConnection(URL url) throws IOException {
      return withSockets(new URL(url.toExternalForm()).openConnection());
    }

    @Override
    protected URLConnection openConnection(URL url, Proxy proxy) throws IOException {
      return withSockets(new URL(url.toExternalForm()).openConnection(proxy));
    }

    private URLConnection withSockets(URLConnection connection) {
      if (connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(sockets);
      }
      return connection;
    }
  }
}
