package dev.berth.agent.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server process's CPU from {@code /proc/PID/stat}: its own (utime + stime) and that of its
 * children it has reaped (cutime + cstime), in seconds. A forking server (git daemon, a CGI server)
 * spends most of it in children.
 */
record ServerCpu(double own, double children) {
  // USER_HZ: what /proc counts in; 100 on every Linux architecture berth runs on.
  private static final double TICKS_PER_SECOND = 100.0;

  static ServerCpu of(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    long cutime = Long.parseLong(f[13]);
    long cstime = Long.parseLong(f[14]);
    return new ServerCpu((utime + stime) / TICKS_PER_SECOND, (cutime + cstime) / TICKS_PER_SECOND);
  }

  double total() {
    return own + children;
  }

  ServerCpu minus(ServerCpu earlier) {
    return new ServerCpu(own - earlier.own, children - earlier.children);
  }
}
