package dev.berth.agent.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A tiny OS tree (busybox-static, TESTBED.md) packed as a tarball image, with its sha256. */
record BusyboxImage(Path tarball, String sha256) {

  static final String INITTAB =
      "::sysinit:/bin/busybox echo booted\n::respawn:/bin/busybox sleep 3600\n";

  static BusyboxImage build(Path dir) throws IOException, InterruptedException {
    return build(dir, "busybox", INITTAB, java.util.Map.of());
  }

  /**
   * The tree with its own {@code inittab} and extra files (path in the tree to content), packed as
   * {@code NAME.tar} in {@code dir}.
   */
  static BusyboxImage build(
      Path dir, String name, String inittab, java.util.Map<String, String> files)
      throws IOException, InterruptedException {
    Path tree = dir.resolve(name + "-tree");
    for (String sub :
        List.of("bin", "sbin", "etc", "usr", "var", "proc", "sys", "dev", "run", "tmp")) {
      Files.createDirectories(tree.resolve(sub));
    }
    Files.copy(Path.of("/bin/busybox"), tree.resolve("bin/busybox"));
    Files.createSymbolicLink(tree.resolve("sbin/init"), Path.of("/bin/busybox"));
    Files.createSymbolicLink(tree.resolve("bin/sh"), Path.of("/bin/busybox"));
    Files.writeString(tree.resolve("etc/os-release"), "ID=busybox\n");
    Files.writeString(tree.resolve("etc/inittab"), inittab);
    for (var file : files.entrySet()) {
      Path path = tree.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    Path tarball = dir.resolve(name + ".tar");
    Process tar =
        new ProcessBuilder("tar", "-C", tree.toString(), "-cf", tarball.toString(), ".")
            .inheritIO()
            .start();
    if (tar.waitFor() != 0) {
      throw new IllegalStateException("tar failed");
    }
    return new BusyboxImage(tarball, sha256(tarball));
  }

  /**
   * A Container manifest for host {@code tb} booting this image from /opt/e2e/NAME.tar, with {@code
   * specLines} appended under {@code spec:} (each indented by two spaces).
   */
  /**
   * A container of this image that stops when nspawn stops it: busybox init powers off on SIGUSR2
   * and ignores SIGRTMIN+3 (TESTBED.md).
   */
  String killable(String name, String... specLines) {
    String[] lines = new String[specLines.length + 3];
    lines[0] = "nspawn:";
    lines[1] = "  Exec:";
    lines[2] = "    KillSignal: SIGUSR2";
    System.arraycopy(specLines, 0, lines, 3, specLines.length);
    return container(name, lines);
  }

  String container(String name, String... specLines) {
    StringBuilder yaml =
        new StringBuilder(
            """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: %s
        spec:
          placement:
            hosts: [tb]
          image:
            tarball:
              url: file:///opt/e2e/%s
              sha256: %s
          privateUsers: "no"
        """
                .formatted(name, tarball.getFileName(), sha256));
    for (String line : specLines) {
      yaml.append("  ").append(line).append('\n');
    }
    return yaml.toString();
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      DigestInputStream digesting = new DigestInputStream(in, digest);
      digesting.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
