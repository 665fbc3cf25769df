package dev.berth.agent.http;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What the agent's HTTP server listens on and whom it lets do what.
 *
 * @param listen the TCP listener: metrics, probes, webhooks; the status with {@code tcpStatus}
 * @param socket the unix socket of the control API, or null for none
 * @param adminGroup a group whose members may change the agent over the socket, or null
 * @param readGroup a group whose members may read its status over the socket, or null
 * @param apiToken the bearer token that allows changes over TCP, or null: none are allowed
 * @param webhookSecret the secret shared with the Git server, or null: the hooks answer 404
 */
public record HttpSettings(
    InetSocketAddress listen,
    Path socket,
    String adminGroup,
    String readGroup,
    boolean tcpStatus,
    byte[] apiToken,
    byte[] webhookSecret) {

  /** A TCP listener alone, with the defaults of access: no socket, no status, no token. */
  public static HttpSettings tcpOnly(InetSocketAddress listen, byte[] webhookSecret) {
    return new HttpSettings(listen, null, null, null, false, null, webhookSecret);
  }

  HttpSettings withSocket(Path path) {
    return new HttpSettings(
        listen, path, adminGroup, readGroup, tcpStatus, apiToken, webhookSecret);
  }

  @Override
  public String toString() {
    return "HttpSettings[listen="
        + listen
        + ", socket="
        + socket
        + ", adminGroup="
        + adminGroup
        + ", readGroup="
        + readGroup
        + ", tcpStatus="
        + tcpStatus
        + ", apiToken="
        + (apiToken == null ? "none" : "redacted")
        + ", webhookSecret="
        + (webhookSecret == null ? "none" : "redacted")
        + "]";
  }
}
