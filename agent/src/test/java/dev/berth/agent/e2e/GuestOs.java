package dev.berth.agent.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * This machine's own OS as {@code directory} images for containers in a testbed, made the way the
 * testbed itself is (TESTBED.md): an empty {@code /etc} that systemd fills at first boot, and the
 * OS's {@code /usr} read-only. Each container gets a tree of its own under {@code /srv/guests} in
 * the testbed (its {@code /etc} and {@code /var} are its own, berth writes its network file there)
 * whose {@code /usr} is a read-only overlay of the testbed's {@code /usr}, so nothing of the OS is
 * copied.
 *
 * <p>The overlay adds one package to that {@code /usr}: systemd-resolved, which consumes the {@code
 * DNS=} of berth's network file. Debian 12 ships it apart from systemd, and it is not installed on
 * this machine (its postinst would point this machine's resolv.conf at a stub that does not run
 * here), so bin/install-test-deps downloads the package of the installed systemd, unpacked in the
 * testbed. Its {@code /lib} and {@code /sbin} go under {@code usr/}: the OS has a merged {@code
 * /usr}.
 *
 * <p>The only unit masked is systemd-firstboot, which would wait for a key (the testbed turns it
 * off on its command line instead); the testbed's presets, copied in, keep the OS's other services
 * off.
 */
final class GuestOs {
  /** Where bin/install-test-deps downloads the package. */
  private static final Path DEBS = Path.of("/var/cache/berth-test-debs");

  private static final String DEB_IN_TESTBED = "/opt/e2e/systemd-resolved.deb";
  private static final String RESOLVED_TREE = "/srv/guest-os/systemd-resolved";
  private static final String GUESTS = "/srv/guests";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");

  private final Testbed testbed;

  private GuestOs(Testbed testbed) {
    this.testbed = testbed;
  }

  /**
   * Copies the systemd-resolved package of the installed systemd into {@code work} (the testbed's
   * /opt/e2e); fails naming bin/install-test-deps when it has not been downloaded.
   */
  static void stage(Path work) throws IOException, InterruptedException {
    String version = installedSystemd();
    String prefix = "systemd-resolved_" + version.replace(":", "%3a") + "_";
    Path deb;
    try (Stream<Path> files = Files.isDirectory(DEBS) ? Files.list(DEBS) : Stream.empty()) {
      deb =
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix))
              .filter(f -> f.getFileName().toString().endsWith(".deb"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no systemd-resolved "
                              + version
                              + " package in "
                              + DEBS
                              + ": run bin/install-test-deps as root"));
    }
    Files.copy(deb, work.resolve(Path.of(DEB_IN_TESTBED).getFileName()));
  }

  /** Unpacks the staged package in the booted {@code testbed}. */
  static GuestOs unpack(Testbed testbed) throws IOException, InterruptedException {
    testbed
        .sh(
            String.join(
                "\n",
                "set -e",
                "T=" + RESOLVED_TREE,
                "mkdir -p $T",
                "dpkg-deb -x " + DEB_IN_TESTBED + " $T",
                "for d in lib sbin bin; do",
                "  if [ -d $T/$d ]; then mkdir -p $T/usr/$d; cp -a $T/$d/. $T/usr/$d/; rm -rf $T/$d; fi",
                "done"))
        .orFail("unpacking systemd-resolved");
    return new GuestOs(testbed);
  }

  /** Makes container {@code name}'s tree in the testbed and returns its path there. */
  String tree(String name) throws IOException, InterruptedException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a container name for a guest tree: " + name);
    }
    String root = GUESTS + "/" + name;
    testbed
        .sh(
            String.join(
                "\n",
                "set -e",
                "G=" + root,
                "mkdir -p $G/usr $G/var $G/etc/systemd/system $G/etc/systemd/system-preset",
                "for d in bin sbin lib lib64; do ln -s usr/$d $G/$d; done",
                "mount -t overlay -o ro,lowerdir=" + RESOLVED_TREE + "/usr:/usr overlay $G/usr",
                "cp /etc/systemd/system-preset/99-berth-testbed.preset $G/etc/systemd/system-preset/",
                "ln -s /dev/null $G/etc/systemd/system/systemd-firstboot.service",
                // What systemd-resolved's postinst does: libc asks resolved's stub.
                "ln -s ../run/systemd/resolve/stub-resolv.conf $G/etc/resolv.conf"))
        .orFail("making the tree of " + name);
    return root;
  }

  /**
   * A Container manifest for host {@code tb} booting {@code root} as a directory image, with {@code
   * specLines} appended under {@code spec:} (each indented by two spaces). PrivateUsers=no: the
   * tree's /usr is read-only, so nspawn could not shift its owners for a user namespace.
   */
  static String container(String name, String root, String... specLines) {
    StringBuilder yaml =
        new StringBuilder("apiVersion: berth.dev/v1alpha1\nkind: Container\n")
            .append("metadata: {name: ")
            .append(name)
            .append("}\nspec:\n")
            .append("  placement: {hosts: [tb]}\n")
            .append("  image: {directory: {path: ")
            .append(root)
            .append("}}\n")
            .append("  privateUsers: \"no\"\n");
    Arrays.stream(specLines).forEach(line -> yaml.append("  ").append(line).append('\n'));
    return yaml.toString();
  }

  /** A command in the running guest {@code name}, through its own systemd (systemd-run -M). */
  Testbed.Result run(String name, String... command) throws IOException, InterruptedException {
    List<String> full =
        new java.util.ArrayList<>(
            List.of("systemd-run", "--machine=" + name, "--wait", "--quiet", "--pipe", "--"));
    full.addAll(List.of(command));
    return testbed.exec(Duration.ofSeconds(30), full.toArray(String[]::new));
  }

  /** Waits until the guest's systemd says it is {@code running} or {@code degraded}. */
  String awaitBooted(String name) throws InterruptedException {
    return Await.output(
        name + "'s systemd says running or degraded",
        Duration.ofSeconds(90),
        () -> run(name, "systemctl", "is-system-running").out().strip(),
        state -> state.equals("running") || state.equals("degraded"));
  }

  private static String installedSystemd() throws IOException, InterruptedException {
    Process dpkg =
        new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", "systemd")
            .redirectErrorStream(true)
            .start();
    String version = new String(dpkg.getInputStream().readAllBytes()).strip();
    if (dpkg.waitFor() != 0 || version.isEmpty()) {
      throw new IllegalStateException("cannot read the installed systemd's version: " + version);
    }
    return version;
  }
}
