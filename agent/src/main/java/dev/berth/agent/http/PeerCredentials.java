package dev.berth.agent.http;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Who is at the other end of a unix-socket request: the kernel's word ({@code SO_PEERCRED}), not
 * anything the client says, completed with its groups from the group database.
 */
final class PeerCredentials {
  private final Path etc;

  PeerCredentials(Path etc) {
    this.etc = etc;
  }

  /**
   * The peer of {@code request}, which came in on the unix socket; if it cannot be told (the
   * databases unreadable), a peer that no rule allows.
   */
  Caller.Peer of(Request request) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    if (!(endPoint instanceof SocketChannelEndPoint channelEndPoint)) {
      return unknown("not a socket");
    }
    SocketChannel channel = channelEndPoint.getChannel();
    UnixDomainPrincipal principal;
    try {
      principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    } catch (IOException | UnsupportedOperationException e) {
      return unknown("no SO_PEERCRED");
    }
    String user = principal.user().getName();
    String group = principal.group().getName();
    try {
      UnixAccounts accounts = UnixAccounts.read(etc);
      return new Caller.Peer(accounts.uid(user).orElse(-1), user, accounts.groupsOf(user, group));
    } catch (IOException e) {
      // Without the databases no uid is known: the peer gets what an unknown user gets.
      return new Caller.Peer(-1, user, Set.of());
    }
  }

  private static Caller.Peer unknown(String why) {
    return new Caller.Peer(-1, "unknown peer: " + why, Set.of());
  }
}
