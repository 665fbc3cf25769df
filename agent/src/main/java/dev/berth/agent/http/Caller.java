package dev.berth.agent.http;

import java.util.Set;

/** Who sent a request to the control API: a local process on the socket, or someone over TCP. */
sealed interface Caller {
  /**
   * A process on the unix socket, as {@code SO_PEERCRED} names it.
   *
   * @param uid the peer's user id, -1 when its name is in no user database the agent reads
   * @param groups every group the peer belongs to: its primary group and, per the group database,
   *     the groups that list it as a member
   */
  record Peer(int uid, String user, Set<String> groups) implements Caller {
    public Peer {
      groups = Set.copyOf(groups);
    }

    boolean isRoot() {
      return uid == 0;
    }

    String describe() {
      return "uid " + (uid < 0 ? "?" : Integer.toString(uid)) + " (" + user + ")";
    }
  }

  /** A client over TCP, with the bearer token it presented (null: none). */
  record Remote(String bearer) implements Caller {
    @Override
    public String toString() {
      return "Remote[bearer=" + (bearer == null ? "none" : "redacted") + "]";
    }
  }
}
