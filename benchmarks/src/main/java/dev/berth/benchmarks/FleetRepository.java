package dev.berth.benchmarks;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.load.ManifestLoader;
import dev.berth.reconciler.model.Activation.Strategy;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.plan.InstalledFiles;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.FileRole;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.Marker;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import dev.berth.reconciler.validate.CrdSchemas;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A generated, deterministic fleet repository held in memory: {@value #CONTAINERS_PER_HOST}
 * Containers and {@value #ZONES_PER_HOST} Zones for each of {@code hosts} hosts, one multi-document
 * file per host ({@code hosts/host-NNN.yaml}), plus the Nix files that NixOS containers name
 * ({@code nix/ROLE.nix}). Every document is valid; addresses and forwarded host ports are unique
 * per host, so the whole pipeline runs its success path.
 *
 * <p>The same {@code seed} and {@code hosts} always give byte-identical files.
 */
public final class FleetRepository implements ManifestTree {
  public static final long DEFAULT_SEED = 0x5eed_be27L;
  public static final int DEFAULT_HOSTS = 200;
  public static final int CONTAINERS_PER_HOST = 50;
  public static final int ZONES_PER_HOST = 3;

  /**
   * The loader's limits for this fleet: the default ones, but room for its 10,600 documents (the
   * default of 10,000 per revision would refuse 200 hosts of 53 documents).
   */
  public static final YamlLimits LIMITS =
      YamlLimits.DEFAULT.withRepositoryBounds(16L << 20, 10_000, 20_000);

  /** A loader within {@link #LIMITS}. */
  public static ManifestLoader loader() {
    return new ManifestLoader(LIMITS, CrdSchemas.load());
  }

  private static final String[] ROLES = {
    "web", "api", "db", "cache", "worker", "queue", "proxy", "metrics"
  };
  private static final String[] ZONES = {"front", "back", "mgmt"};
  private static final String[] TEAMS = {"payments", "search", "platform", "identity", "growth"};
  private static final String[] DISTROS = {
    "debian-12", "ubuntu-24.04", "alpine-3.20", "fedora-40", "arch"
  };
  private static final String[] MEMORY = {"256M", "512M", "1G", "2G", "4G"};
  private static final String[] CPU = {"50%", "100%", "150%", "200%"};
  private static final String[] CONTAINER_PORTS = {"80", "443", "8080", "9090", "5432", "6379"};

  private final List<ManifestFile> files;
  private final Set<String> otherFiles;
  private final Set<String> filePaths;
  private final Set<String> directories;
  private final int hosts;
  private final int documents;
  private final long bytes;

  private FleetRepository(
      List<ManifestFile> files, Set<String> otherFiles, int hosts, int documents) {
    this.files = List.copyOf(files);
    this.otherFiles = Set.copyOf(otherFiles);
    this.filePaths =
        Set.copyOf(concat(files.stream().map(ManifestFile::path).toList(), otherFiles));
    Set<String> dirs = new HashSet<>();
    dirs.add("");
    for (String path : filePaths) {
      for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        dirs.add(path.substring(0, slash));
      }
    }
    this.directories = Set.copyOf(dirs);
    this.hosts = hosts;
    this.documents = documents;
    this.bytes = files.stream().mapToLong(file -> file.content().length).sum();
  }

  /** The fleet of {@value #DEFAULT_HOSTS} hosts from {@link #DEFAULT_SEED}. */
  public static FleetRepository generate() {
    return generate(DEFAULT_SEED, DEFAULT_HOSTS);
  }

  public static FleetRepository generate(long seed, int hosts) {
    Random random = new Random(seed);
    List<ManifestFile> files = new ArrayList<>();
    Set<String> nix = new HashSet<>();
    for (String role : ROLES) {
      nix.add("nix/" + role + ".nix");
    }
    nix.add("nix/common.nix");
    int documents = 0;
    for (int h = 0; h < hosts; h++) {
      StringBuilder out = new StringBuilder(64 * 1024);
      String host = hostName(h);
      out.append("# ")
          .append(host)
          .append(": its zones and containers. Generated fleet, seed ")
          .append(Long.toHexString(seed))
          .append(".\n");
      for (int z = 0; z < ZONES_PER_HOST; z++) {
        zone(out, host, h, z, random);
        documents++;
      }
      for (int i = 0; i < CONTAINERS_PER_HOST; i++) {
        container(out, host, h, i, random);
        documents++;
      }
      files.add(blob("hosts/" + host + ".yaml", out.toString()));
    }
    files.sort((a, b) -> a.path().compareTo(b.path()));
    return new FleetRepository(files, nix, hosts, documents);
  }

  /**
   * This fleet with the file at {@code path} holding {@code content} instead: the next commit of
   * the repository.
   */
  public FleetRepository withFile(String path, String content) {
    List<ManifestFile> changed = new ArrayList<>(files.size());
    for (ManifestFile file : files) {
      changed.add(file.path().equals(path) ? blob(path, content) : file);
    }
    return new FleetRepository(changed, otherFiles, hosts, documents);
  }

  /** The text of the manifest file at {@code path}. */
  public String content(String path) {
    for (ManifestFile file : files) {
      if (file.path().equals(path)) {
        return new String(file.content(), StandardCharsets.UTF_8);
      }
    }
    throw new IllegalArgumentException(path + " is not a manifest of the fleet");
  }

  /** A file with its Git blob id, as a commit's tree gives it to the loader. */
  private static ManifestFile blob(String path, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return ManifestFile.ofBlob(path, bytes, HexFormat.of().formatHex(sha1.digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  public static String hostName(int index) {
    return String.format("host-%03d", index);
  }

  /** The host {@code index} as the agent would describe it: its name and a few labels. */
  public static Host host(int index) {
    return new Host(
        hostName(index),
        Map.of("rack", "r" + index / 20, "role", index % 2 == 0 ? "web" : "batch"));
  }

  private static void zone(StringBuilder out, String host, int h, int z, Random random) {
    out.append("---\n");
    out.append("apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: ")
        .append(ZONES[z])
        .append('\n');
    out.append("  labels:\n    tier: ").append(ZONES[z]).append('\n');
    out.append("spec:\n  placement:\n    hosts: [").append(host).append("]\n");
    if (z == 0) {
      // A zone with static bridge addresses, one with pools, one left to networkd's defaults.
      out.append("  v4:\n    hostAddresses: [10.250.0.1/24]\n");
      out.append("  v6:\n    hostAddresses: [\"fd42:")
          .append(Integer.toHexString(h))
          .append(":0::1/64\"]\n");
    } else if (z == 1) {
      out.append("  v4:\n    addrPool: [0.0.0.0/24]\n    nat: ")
          .append(random.nextBoolean())
          .append('\n');
    }
  }

  private static void container(StringBuilder out, String host, int h, int i, Random random) {
    String role = ROLES[i % ROLES.length];
    String name = role + "-" + String.format("%02d", i);
    out.append("---\n");
    if (random.nextInt(4) == 0) {
      out.append("# ")
          .append(name)
          .append(" on ")
          .append(host)
          .append(", owned by team ")
          .append(TEAMS[random.nextInt(TEAMS.length)])
          .append('\n');
    }
    out.append("apiVersion: berth.dev/v1alpha1\nkind: Container\nmetadata:\n  name: ")
        .append(name)
        .append('\n');
    out.append("  labels:\n    app: ")
        .append(role)
        .append("\n    team: ")
        .append(TEAMS[random.nextInt(TEAMS.length)])
        .append("\n    env: ")
        .append(random.nextInt(5) == 0 ? "staging" : "prod")
        .append('\n');
    if (random.nextInt(10) == 0) {
      out.append("  annotations:\n    berth.dev/owner: \"")
          .append(TEAMS[random.nextInt(TEAMS.length)])
          .append("@example.org\"\n");
    }
    out.append("spec:\n  placement:\n    hosts: [").append(host).append("]\n");
    if (random.nextInt(20) == 0) {
      out.append("  state: stopped\n");
    }

    // Image: a fifth NixOS, the rest tarballs and directories.
    int image = random.nextInt(10);
    boolean nixos = image < 2;
    out.append("  image:\n");
    if (nixos) {
      out.append("    nixos:\n      file: nix/").append(role).append(".nix\n");
      if (random.nextBoolean()) {
        out.append("      attr: ").append(role).append('\n');
      }
    } else if (image < 6) {
      String distro = DISTROS[random.nextInt(DISTROS.length)];
      out.append("    tarball:\n      url: https://images.example.org/")
          .append(distro)
          .append('/')
          .append(distro)
          .append("-rootfs.tar.xz\n      sha256: ")
          .append(hex(random, 64))
          .append('\n');
    } else {
      out.append("    directory:\n      path: /srv/roots/").append(name).append('\n');
    }

    // Network: the host's, a veth of its own, a zone, or static addresses (unique on the host).
    int network = random.nextInt(20);
    boolean hasNetwork = network >= 4;
    if (network < 4) {
      // the host's network: no network key
    } else if (network < 9) {
      out.append("  network: {}\n");
    } else if (network < 14) {
      out.append("  network:\n    zone: ").append(ZONES[random.nextInt(ZONES.length)]).append('\n');
    } else {
      String v6Prefix = "fd00:" + Integer.toHexString(h) + ":" + Integer.toHexString(i) + "::";
      out.append("  network:\n");
      out.append("    v4:\n      static:\n        containerPool: [10.200.")
          .append(i)
          .append(".2/24]\n")
          .append("        hostAddresses: [10.200.")
          .append(i)
          .append(".1/24]\n");
      if (random.nextBoolean()) {
        out.append("      nat: false\n");
      }
      out.append("    v6:\n      static:\n        containerPool: [\"")
          .append(v6Prefix)
          .append("2/64\"]\n")
          .append("        hostAddresses: [\"")
          .append(v6Prefix)
          .append("1/64\"]\n");
      out.append("    dns: [10.200.").append(i).append(".1, \"").append(v6Prefix).append("1\"]\n");
    }
    if (hasNetwork && random.nextInt(5) < 2) {
      // forwardPorts go under the network mapping written above; a {} network is rewritten.
      int ports = 1 + random.nextInt(2);
      StringBuilder forward = new StringBuilder("    forwardPorts:\n");
      for (int k = 0; k < ports; k++) {
        forward
            .append("      - protocol: ")
            .append(random.nextInt(4) == 0 ? "udp" : "tcp")
            .append('\n')
            .append("        hostPort: ")
            .append(10000 + i * 10 + k)
            .append('\n')
            .append("        containerPort: ")
            .append(CONTAINER_PORTS[random.nextInt(CONTAINER_PORTS.length)])
            .append('\n');
      }
      if (network < 9) {
        replaceLast(out, "  network: {}\n", "  network:\n" + forward);
      } else {
        out.append(forward);
      }
    }

    int mounts = random.nextInt(4);
    if (mounts > 0) {
      out.append("  bindMounts:\n");
      for (int k = 0; k < mounts; k++) {
        out.append("    - hostPath: /srv/data/").append(name).append('/').append(k).append('\n');
        if (random.nextBoolean()) {
          out.append("      containerPath: /var/lib/")
              .append(role)
              .append('/')
              .append(k)
              .append('\n');
        }
        if (random.nextInt(3) == 0) {
          out.append("      readOnly: true\n");
        }
      }
    }
    if (random.nextInt(10) < 7) {
      out.append("  resources:\n    memoryMax: ")
          .append(MEMORY[random.nextInt(MEMORY.length)])
          .append('\n');
      if (random.nextBoolean()) {
        out.append("    cpuQuota: ").append(CPU[random.nextInt(CPU.length)]).append('\n');
      }
      if (random.nextBoolean()) {
        out.append("    tasksMax: ")
            .append(random.nextInt(4) == 0 ? "infinity" : "" + (256 << random.nextInt(4)))
            .append('\n');
      }
    }
    if (random.nextInt(8) == 0) {
      out.append("  capabilities: [CAP_NET_ADMIN")
          .append(random.nextBoolean() ? ", CAP_SYS_TIME" : "")
          .append("]\n");
    }
    if (random.nextInt(6) == 0) {
      out.append("  timeoutStartSec: ").append(random.nextBoolean() ? "90s" : "120").append('\n');
    }
    if (random.nextInt(8) == 0) {
      out.append("  privateUsers: pick\n");
    }
    if (random.nextInt(12) == 0) {
      out.append("  credentials:\n    - id: db-password\n      path: /run/secrets/")
          .append(name)
          .append("/db\n");
    }
    // Every eighth container forces a strategy, so that plans show reload and restart by strategy.
    if (i % 8 == 5) {
      out.append("  activation:\n    strategy: ")
          .append(i % 16 == 5 ? "reload" : "restart")
          .append('\n');
    }
    if (i > 0 && random.nextInt(6) == 0) {
      // Only on an earlier container: never a cycle.
      String target = ROLES[(i - 1) % ROLES.length] + "-" + String.format("%02d", i - 1);
      out.append("  dependsOn: [").append(target).append("]\n");
    }
    if (random.nextInt(20) == 0) {
      out.append(
          "  nspawn:\n    Exec:\n      Environment:\n        - TZ=UTC\n        - LANG=C.UTF-8\n");
    }
    if (random.nextInt(10) == 0) {
      out.append("  removePolicy: Delete\n");
    }
  }

  private static void replaceLast(StringBuilder out, String what, String with) {
    int at = out.lastIndexOf(what);
    out.replace(at, at + what.length(), with);
  }

  private static String hex(Random random, int digits) {
    StringBuilder out = new StringBuilder(digits);
    for (int k = 0; k < digits; k++) {
      out.append(Character.forDigit(random.nextInt(16), 16));
    }
    return out.toString();
  }

  private static List<String> concat(List<String> a, Set<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  // --- ManifestTree -------------------------------------------------------------------------

  @Override
  public List<ManifestFile> manifests() {
    return files;
  }

  @Override
  public PathKind kindOf(String relativePath) {
    if (filePaths.contains(relativePath)) {
      return PathKind.FILE;
    }
    return directories.contains(relativePath) ? PathKind.DIRECTORY : PathKind.MISSING;
  }

  @Override
  public Optional<byte[]> read(String relativePath, int maxBytes) throws IOException {
    for (ManifestFile file : files) {
      if (file.path().equals(relativePath)) {
        byte[] bytes = file.content();
        return bytes.length > maxBytes ? Optional.empty() : Optional.of(bytes.clone());
      }
    }
    throw new IOException(relativePath + " is not a file of the generated fleet");
  }

  public int hosts() {
    return hosts;
  }

  public int documents() {
    return documents;
  }

  public long bytes() {
    return bytes;
  }

  // --- a previous render of one host ----------------------------------------------------------

  /**
   * What {@code host} had on disk after the previous pass: today's render of it, with a few
   * differences so that a plan has every kind of action — two containers not yet created, one whose
   * {@code .nspawn} differs (restart), one with other cgroup limits (live), one with strategy
   * reload, one file edited by hand, one file not written by berth (conflict), containers and a
   * zone no longer placed there (remove), and a zone bridge with another address (update).
   */
  public InstalledFiles previousRender(Host host) throws IOException {
    LoadResult result = loader().load(this, SemanticCheck.forHost(host));
    if (!result.valid()) {
      throw new IllegalStateException("the generated fleet is invalid: " + result.diagnostics());
    }
    List<Container> containers = result.manifests().containersOn(host);
    HostRendering rendering =
        new HostRenderer().render(containers, result.manifests().zonesOn(host), SystemBuilds.NONE);
    Map<String, Container> byName = new TreeMap<>();
    containers.forEach(container -> byName.put(container.name(), container));

    TreeMap<String, String> files = new TreeMap<>();
    Set<String> created = new HashSet<>();
    String restart = null;
    String live = null;
    String reload = null;
    String drift = null;
    String conflict = null;
    for (ContainerFiles container : rendering.containers()) {
      Container spec = byName.get(container.name());
      boolean nixos = spec.spec().image().isNixos();
      Strategy strategy = spec.spec().activation().strategy();
      if (created.size() < 2 && !nixos) {
        created.add(container.name()); // not installed yet: create
        continue;
      }
      for (HostFile file : container.files().values()) {
        files.put(file.path(), file.content());
      }
      String owner = "Container " + container.name();
      HostFile nspawn = container.files().get(FileRole.NSPAWN);
      HostFile dropIn = container.files().get(FileRole.DROP_IN);
      if (nixos) {
        continue; // unbuilt NixOS systems plan as rebuild whatever changed
      }
      if (restart == null && strategy == Strategy.DYNAMIC) {
        restart = container.name();
        files.put(
            nspawn.path(),
            rewrap(owner, nspawn.content(), "[Exec]\n", "[Exec]\nCapability=CAP_SYS_ADMIN\n"));
      } else if (live == null
          && strategy == Strategy.DYNAMIC
          && dropIn.content().contains("\nMemoryMax=")) {
        live = container.name();
        files.put(dropIn.path(), rewrap(owner, dropIn.content(), "\nMemoryMax=", "\nMemoryMax=1"));
      } else if (reload == null && strategy == Strategy.RELOAD) {
        reload = container.name();
        files.put(
            nspawn.path(),
            rewrap(owner, nspawn.content(), "[Exec]\n", "[Exec]\nPrivateUsers=no\n"));
      } else if (drift == null && strategy == Strategy.DYNAMIC) {
        drift = container.name();
        files.put(dropIn.path(), dropIn.content() + "# tuned by hand\n");
      } else if (conflict == null && strategy == Strategy.DYNAMIC) {
        conflict = container.name();
        files.put(nspawn.path(), body(nspawn.content()));
      }
    }
    for (int k = 0; k < 3; k++) {
      String name = "retired-" + k;
      files.put(HostPaths.nspawn(name), Marker.wrap("Container " + name, "[Exec]\nBoot=yes\n"));
      files.put(
          HostPaths.dropIn(name), Marker.wrap("Container " + name, "[Service]\nExecReload=\n"));
    }
    for (HostFile zone : rendering.zoneFiles()) {
      files.put(zone.path(), zone.content());
      if (zone.content().contains("\nAddress=10.250.0.1/24")) {
        String owner =
            "Zone "
                + zone.path()
                    .substring(zone.path().lastIndexOf("vz-") + 3, zone.path().length() - 8);
        files.put(
            zone.path(),
            rewrap(owner, zone.content(), "Address=10.250.0.1/24", "Address=10.251.0.1/24"));
      }
    }
    files.put(
        HostPaths.zoneNetwork("legacy"),
        Marker.wrap("Zone legacy", "[Match]\nName=vz-legacy\nDriver=bridge\n"));
    // Files of others, which berth must leave alone.
    files.put(
        HostPaths.NETWORK_DIR + "/10-eth0.network", "[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n");
    files.put(HostPaths.NSPAWN_DIR + "/README", "machines of this host are managed by berth\n");
    return new MemoryInstalledFiles(files);
  }

  /** The text of a berth file below its two header lines. */
  private static String body(String content) {
    int second = content.indexOf('\n', content.indexOf('\n') + 1);
    return content.substring(second + 1);
  }

  /** The file with {@code what} replaced in its body, and a header that matches the new body. */
  private static String rewrap(String owner, String content, String what, String with) {
    String body = body(content);
    if (!body.contains(what)) {
      throw new IllegalStateException("no \"" + what + "\" in " + body);
    }
    return Marker.wrap(
        owner,
        body.replaceFirst(
            java.util.regex.Pattern.quote(what), java.util.regex.Matcher.quoteReplacement(with)));
  }

  /** Installed files held in a sorted map of path to text. */
  static final class MemoryInstalledFiles implements InstalledFiles {
    private final TreeMap<String, String> files;

    MemoryInstalledFiles(TreeMap<String, String> files) {
      this.files = new TreeMap<>(files);
    }

    @Override
    public Optional<String> read(String path) {
      return Optional.ofNullable(files.get(path));
    }

    @Override
    public List<String> list(String directory) {
      String prefix = directory.endsWith("/") ? directory : directory + "/";
      List<String> names = new ArrayList<>();
      for (String path : files.subMap(prefix, prefix + Character.MAX_VALUE).keySet()) {
        String rest = path.substring(prefix.length());
        if (rest.indexOf('/') < 0) {
          names.add(rest);
        }
      }
      return Collections.unmodifiableList(names);
    }
  }
}
