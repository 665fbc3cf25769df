package dev.berth.agent.http;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Set;

/**
 * The unix socket's file: its directory made, a stale socket of a killed agent removed, and once
 * bound its mode and group set. The mode only keeps strangers from connecting at all; what a
 * connected peer may do is decided per request from {@code SO_PEERCRED}.
 */
final class SocketFile {
  private static final int TYPE_MASK = 0170000;
  private static final int SOCKET = 0140000;

  private final Path path;
  private final String adminGroup;
  private final String readGroup;

  SocketFile(Path path, String adminGroup, String readGroup) {
    this.path = path;
    this.adminGroup = adminGroup;
    this.readGroup = readGroup;
  }

  /** Before binding: the directory exists, and nothing is in the way of the socket. */
  void prepare() throws IOException {
    Path directory = path.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((mode & TYPE_MASK) != SOCKET) {
      throw new IOException(
          path + " exists and is not a socket: remove it, or set http.socket to another path");
    }
    if (answers()) {
      throw new IOException(path + " is served by another process: is another agent running?");
    }
    Files.delete(path); // left by an agent that was killed
  }

  /** After binding: mode 0600 (root), 0660 (root and adminGroup) or 0666 (with a readGroup). */
  void restrict() throws IOException {
    // Following links: the JDK then uses chmod and chown on the path, as a socket cannot be opened
    // for fchmod; the path is the socket Jetty has just bound, in a directory only root writes.
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (adminGroup != null) {
      view.setGroup(group(adminGroup, "http.adminGroup"));
    }
    if (readGroup != null) {
      group(readGroup, "http.readGroup"); // refuse a group that does not exist, as for adminGroup
    }
    String mode = readGroup != null ? "rw-rw-rw-" : adminGroup != null ? "rw-rw----" : "rw-------";
    Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
    view.setPermissions(permissions);
  }

  private GroupPrincipal group(String name, String field) throws IOException {
    try {
      return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException(
          field + ": there is no group " + name + " on this host (groupadd " + name + ")");
    }
  }

  private boolean answers() {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(path));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
