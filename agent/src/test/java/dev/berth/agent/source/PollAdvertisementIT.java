package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.source.SourceSettings.Auth;
import dev.berth.agent.source.SourceSettings.Ref;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a poll asks a real Git server, read from the server's own packet trace (GIT_TRACE_PACKET of
 * its upload-pack): one ls-refs of protocol v2 with the wanted ref as prefix when nothing moved,
 * over git:// from {@code git daemon} and over smart HTTP from {@code git http-backend}.
 */
class PollAdvertisementIT {
  @TempDir Path temp;
  private Path served;
  private Path trace;
  private GitRepo remote;

  @BeforeEach
  void repositoryWithOtherBranchesAndTags() throws IOException {
    served = temp.resolve("served");
    trace = temp.resolve("trace");
    remote = GitRepo.init(served.resolve("fleet"));
    remote.write("web.yaml", "kind: Nothing\n").commit("first");
    remote.git("branch", "staging");
    remote.git("tag", "v1.0.0");
    remote.git("tag", "-a", "-m", "release", "v1.1.0");
  }

  @Test
  void anUnchangedPollOverGitDaemonIsOneLsRefsForTheBranchAlone() throws Exception {
    try (GitDaemon daemon = GitDaemon.serve(served, Map.of("GIT_TRACE_PACKET", trace.toString()));
        GitSource source = source(daemon.url("fleet"), branch("main"))) {
      String firstPoll = traced(source);
      String unchanged = traced(source);

      assertThat(firstPoll).contains("\\0version=2\\0").contains("upload-pack< command=fetch");
      assertOneLsRefsOf("refs/heads/main", unchanged);
      assertThat(unchanged).contains("\\0version=2\\0");
      assertThat(source.fetchCount()).isEqualTo(1);
    }
  }

  @Test
  void anUnchangedPollOverSmartHttpIsOneLsRefsForTheBranchAloneInTwoRequests() throws Exception {
    try (GitHttpBackend http =
            GitHttpBackend.serve(served, Map.of("GIT_TRACE_PACKET", trace.toString()), 4);
        GitSource source = source(http.url("fleet"), branch("main"))) {
      traced(source);
      long before = http.requests();
      String unchanged = traced(source);

      assertOneLsRefsOf("refs/heads/main", unchanged);
      // protocol v2 over HTTP: GET info/refs says the capabilities, one POST runs ls-refs
      assertThat(http.requests() - before).isEqualTo(2);
      assertThat(source.fetchCount()).isEqualTo(1);
    }
  }

  @Test
  void aTagIsAskedForByItsNameAndComesPeeled() throws Exception {
    try (GitDaemon daemon = GitDaemon.serve(served, Map.of("GIT_TRACE_PACKET", trace.toString()));
        GitSource source = source(daemon.url("fleet"), new Ref(null, "v1.1.0", null, null))) {
      String firstPoll = traced(source);
      String unchanged = traced(source);

      assertThat(firstPoll).contains("upload-pack< peel");
      assertOneLsRefsOf("refs/tags/v1.1.0", unchanged);
      assertThat(source.poll().commit()).isEqualTo(remote.head());
    }
  }

  @Test
  void aSemverRangeAsksForTheTagsAndNoBranch() throws Exception {
    try (GitDaemon daemon = GitDaemon.serve(served, Map.of("GIT_TRACE_PACKET", trace.toString()));
        GitSource source = source(daemon.url("fleet"), new Ref(null, null, "^1.0.0", null))) {
      traced(source);
      String unchanged = traced(source);

      assertThat(commands(unchanged)).containsExactly("ls-refs");
      assertThat(lines(unchanged, "upload-pack< ref-prefix ")).containsExactly("refs/tags/");
      assertThat(advertised(unchanged))
          .containsExactlyInAnyOrder("refs/tags/v1.0.0", "refs/tags/v1.1.0");
    }
  }

  private static void assertOneLsRefsOf(String ref, String trace) {
    assertThat(commands(trace)).containsExactly("ls-refs");
    assertThat(lines(trace, "upload-pack< ref-prefix ")).containsExactly(ref);
    assertThat(advertised(trace)).containsExactly(ref);
  }

  private static List<String> commands(String trace) {
    return lines(trace, "upload-pack< command=");
  }

  // "upload-pack> <id> refs/tags/v1.1.0 peeled:<id>": the ref's name, the second word
  private static List<String> advertised(String trace) {
    return lines(trace, "upload-pack> ").stream()
        .filter(l -> l.matches("[0-9a-f]{40} \\S+.*"))
        .map(l -> l.split(" ")[1])
        .toList();
  }

  private static List<String> lines(String trace, String marker) {
    return trace
        .lines()
        .filter(l -> l.contains(marker))
        .map(l -> l.substring(l.indexOf(marker) + marker.length()).trim())
        .toList();
  }

  /** What the server traced during one poll. */
  private String traced(GitSource source) throws Exception {
    long start = quietSize();
    source.poll();
    quietSize();
    byte[] all = Files.readAllBytes(trace);
    return new String(all, (int) start, all.length - (int) start, StandardCharsets.UTF_8);
  }

  // The server's processes write the trace's last lines after the client has its answer.
  private long quietSize() throws Exception {
    long size = -1;
    for (int stable = 0; stable < 3; ) {
      Thread.sleep(100);
      long now = Files.exists(trace) ? Files.size(trace) : 0;
      stable = now == size ? stable + 1 : 0;
      size = now;
    }
    return size;
  }

  private GitSource source(String url, Ref ref) {
    return new GitSource(
        new SourceSettings(url, ref, null, Duration.ofSeconds(10), Auth.NONE, null),
        temp.resolve("cache"));
  }

  private static Ref branch(String name) {
    return GitSourceIT.branch(name);
  }
}
