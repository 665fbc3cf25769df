package dev.berth.agent.source;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.eclipse.jgit.internal.transport.sshd.OpenSshServerKeyDatabase;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Accepts a server's host key only when the configured known_hosts file lists it for that host:
 * never asks, never learns new keys, never reads ~/.ssh or /etc/ssh.
 */
final class StrictKnownHosts implements ServerKeyDatabase {
  private final Path knownHosts;
  private final ServerKeyDatabase openSsh;

  StrictKnownHosts(Path knownHosts) {
    this.knownHosts = knownHosts;
    this.openSsh = new OpenSshServerKeyDatabase(false, List.of(knownHosts));
  }

  @Override
  public List<PublicKey> lookup(
      String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    return openSsh.lookup(connectAddress, remoteAddress, strict(config));
  }

  @Override
  public boolean accept(
      String connectAddress,
      InetSocketAddress remoteAddress,
      PublicKey serverKey,
      Configuration config,
      CredentialsProvider provider) {
    // No provider: nobody can be asked, and an unknown or changed key is refused.
    return openSsh.accept(connectAddress, remoteAddress, serverKey, strict(config), null);
  }

  private Configuration strict(Configuration session) {
    return new Configuration() {
      @Override
      public List<String> getUserKnownHostsFiles() {
        return List.of(knownHosts.toString());
      }

      @Override
      public List<String> getGlobalKnownHostsFiles() {
        return List.of();
      }

      @Override
      public StrictHostKeyChecking getStrictHostKeyChecking() {
        return StrictHostKeyChecking.REQUIRE_MATCH;
      }

      @Override
      public boolean getHashKnownHosts() {
        return false;
      }

      @Override
      public String getUsername() {
        return session.getUsername();
      }
    };
  }
}
