package dev.berth.agent.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may do what with the control API, decided from the caller alone: on the socket, root and
 * {@code adminGroup} change the agent, and {@code readGroup} reads its status too; over TCP only
 * the bearer token changes it, and the status is open only with {@code tcpStatus}.
 */
final class ApiAccess {
  /** The answer: allowed, or refused with a one-line reason for the caller. */
  record Decision(boolean allowed, String reason) {
    static final Decision ALLOW = new Decision(true, null);

    static Decision refuse(String reason) {
      return new Decision(false, reason);
    }
  }

  private final String adminGroup;
  private final String readGroup;
  private final boolean tcpStatus;
  private final ApiToken token;

  /**
   * @param token the bearer token of {@code http.tokenFile}, or null: no change over TCP
   */
  ApiAccess(String adminGroup, String readGroup, boolean tcpStatus, ApiToken token) {
    this.adminGroup = adminGroup;
    this.readGroup = readGroup;
    this.tcpStatus = tcpStatus;
    this.token = token;
  }

  Decision decide(Caller caller, Operation operation) {
    if (caller instanceof Caller.Peer peer) {
      return decide(peer, operation);
    }
    return decide((Caller.Remote) caller, operation);
  }

  private Decision decide(Caller.Peer peer, Operation operation) {
    List<String> groups = new ArrayList<>();
    if (adminGroup != null) {
      groups.add(adminGroup);
    }
    if (!operation.changes() && readGroup != null && !readGroup.equals(adminGroup)) {
      groups.add(readGroup);
    }
    if (peer.isRoot() || groups.stream().anyMatch(peer.groups()::contains)) {
      return Decision.ALLOW;
    }
    String who =
        groups.isEmpty()
            ? "only root (no http.adminGroup is set)"
            : "only root or members of group " + String.join(" or ", groups);
    return Decision.refuse(peer.describe() + " may not " + operation.phrase() + ": " + who);
  }

  private Decision decide(Caller.Remote remote, Operation operation) {
    if (token != null && token.matches(remote.bearer())) {
      return Decision.ALLOW;
    }
    if (!operation.changes()) {
      return tcpStatus
          ? Decision.ALLOW
          : Decision.refuse(
              "the status is not served over TCP: run berth status on the host (it uses the"
                  + " agent's unix socket), or set http.tcpStatus: true");
    }
    if (token == null) {
      return Decision.refuse(
          "changes over TCP are refused: run the berth CLI on the host (it uses the agent's"
              + " unix socket), or set http.tokenFile for remote tooling");
    }
    return Decision.refuse(
        "changes over TCP need Authorization: Bearer with the token of http.tokenFile:"
            + " the one given is missing or wrong");
  }
}
