package dev.berth.agent.probes;

import dev.berth.reconciler.host.HealthProbes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * berth's {@link HealthProbes}: an HTTP GET with the JDK's client (redirects not followed: a 3xx is
 * an answer) and a plain TCP connect, from the host to the machine's address ({@link
 * ProbeAddress}). The timeout bounds the connection and, separately, the answer's status line.
 */
public final class NetworkProbes implements HealthProbes {
  private final MachineAddresses addresses;

  /** One client per connect timeout: a client holds a selector thread, and probes repeat. */
  private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

  public NetworkProbes(MachineAddresses addresses) {
    this.addresses = addresses;
  }

  @Override
  public ProbeResult http(ProbeTarget target, int port, String path, Duration timeout) {
    ProbeAddress to = ProbeAddress.of(target, addresses);
    if (to.address() == null) {
      return ProbeResult.down(to.unreachable());
    }
    String where = to.authority(port) + (path.startsWith("/") ? path : "/" + path);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create("http://" + where)).timeout(timeout).GET().build();
    } catch (IllegalArgumentException e) {
      return ProbeResult.down("cannot probe http://" + where + ": " + e.getMessage());
    }
    try {
      int status =
          client(timeout).send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      String detail = "HTTP " + status + " from " + where;
      return status >= 200 && status < 400 ? ProbeResult.up(detail) : ProbeResult.down(detail);
    } catch (HttpConnectTimeoutException e) {
      return ProbeResult.down(
          "no connection to " + to.authority(port) + " within " + millis(timeout));
    } catch (HttpTimeoutException e) {
      return ProbeResult.down("no answer from " + where + " within " + millis(timeout));
    } catch (ConnectException e) {
      return ProbeResult.down("connection refused to " + to.authority(port));
    } catch (IOException e) {
      return ProbeResult.down("GET http://" + where + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.down("GET http://" + where + " interrupted");
    }
  }

  @Override
  public ProbeResult tcp(ProbeTarget target, int port, Duration timeout) {
    ProbeAddress to = ProbeAddress.of(target, addresses);
    if (to.address() == null) {
      return ProbeResult.down(to.unreachable());
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(to.address(), port), (int) timeout.toMillis());
      return ProbeResult.up("TCP connection accepted by " + to.authority(port));
    } catch (SocketTimeoutException e) {
      return ProbeResult.down(
          "no connection to " + to.authority(port) + " within " + millis(timeout));
    } catch (ConnectException e) {
      return ProbeResult.down("connection refused to " + to.authority(port));
    } catch (IOException e) {
      return ProbeResult.down(
          "TCP connect to " + to.authority(port) + " failed: " + e.getMessage());
    }
  }

  private HttpClient client(Duration connectTimeout) {
    return clients.computeIfAbsent(
        connectTimeout,
        timeout ->
            HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
  }

  private static String millis(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}
