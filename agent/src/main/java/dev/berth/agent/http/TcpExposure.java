package dev.berth.agent.http;

import java.net.InetSocketAddress;
import java.util.Optional;

/** The warning a TCP listener beyond loopback deserves at start: what it exposes, to whom. */
public final class TcpExposure {
  private TcpExposure() {}

  /** The warning for {@code settings}, or empty when the listener is on loopback. */
  public static Optional<String> warning(HttpSettings settings) {
    InetSocketAddress listen = settings.listen();
    if (listen.getAddress() != null && listen.getAddress().isLoopbackAddress()) {
      return Optional.empty();
    }
    String served =
        "/metrics (container names, revisions), /healthz, /readyz and the webhooks"
            + (settings.tcpStatus() ? ", and the status (http.tcpStatus)," : "")
            + " are served in plain HTTP to every host that reaches "
            + listen.getAddress().getHostAddress()
            + ":"
            + listen.getPort();
    String changes =
        settings.apiToken() == null
            ? "changes over TCP are refused (no http.tokenFile)"
            : "the bearer token of http.tokenFile crosses the network in clear text: put a TLS"
                + " proxy in front, or listen on loopback";
    return Optional.of("http.listen is not a loopback address: " + served + "; " + changes);
  }
}
