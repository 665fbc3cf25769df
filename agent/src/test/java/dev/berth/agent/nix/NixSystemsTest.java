package dev.berth.agent.nix;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.source.SourceFiles;
import dev.berth.agent.source.SourceFiles.Kind;
import dev.berth.agent.source.SourceFiles.SourceFile;
import dev.berth.reconciler.apply.ApplyReport;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NixSystemsTest {
  @TempDir Path dir;

  private final FakeBuilder builder = new FakeBuilder();
  private final MutableClock clock = new MutableClock();
  private final List<NixSystems.BuildEvent> events = new ArrayList<>();
  private NixSystems nix;

  private NixSystems nix() {
    nix = new NixSystems(dir.resolve("state"), roots(), builder, Duration.ofMinutes(1), clock);
    nix.onBuildFinished(events::add);
    return nix;
  }

  private GcRoots roots() {
    return new GcRoots(dir.resolve("gcroots"));
  }

  @AfterEach
  void close() {
    if (nix != null) {
      nix.close();
    }
  }

  /** Containers of these names, each built from web.nix. */
  private static List<Container> containers(String... names) {
    return ContainerYaml.containers(
        Arrays.stream(names).map(name -> container(name).nixos("web.nix")).toArray());
  }

  private static SourceFiles files(String webNix) {
    Map<String, String> content = new LinkedHashMap<>();
    content.put("m.yaml", "manifests");
    content.put("web.nix", webNix);
    return new SourceFiles() {
      @Override
      public List<SourceFile> list() {
        return content.keySet().stream()
            .map(
                path ->
                    new SourceFile(
                        path, Kind.FILE, Integer.toHexString(content.get(path).hashCode())))
            .toList();
      }

      @Override
      public InputStream open(SourceFile file) {
        return new ByteArrayInputStream(content.get(file.path()).getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  private SystemBuilds awaitBuilt(List<Container> containers, SourceFiles files) throws Exception {
    return nix.awaitBuilds(containers, files);
  }

  @Test
  void aBuildRunsBesideThePassAndItsSystemIsUsedOnceDone() throws Exception {
    nix();
    builder.hold = new CountDownLatch(1);
    List<Container> web = containers("web");

    SystemBuilds first = nix.forPass(web, files("gen 1"));
    assertThat(first.systemOf("web")).isEmpty();
    assertThat(first.unbuilt("web").failed()).isFalse();
    assertThat(first.unbuilt("web").reason()).startsWith("building the NixOS system from web.nix");

    builder.hold.countDown();
    SystemBuilds done = awaitBuilt(web, files("gen 1"));
    assertThat(done.systemOf("web")).contains(dir.resolve("store/system-1").toString());
    assertThat(events).hasSize(1);
    assertThat(events.get(0).system()).isEqualTo(done.systemOf("web").orElseThrow());
    assertThat(builder.sources).containsExactly("gen 1");
    assertThat(roots().next("web")).isEqualTo(done.systemOf("web"));
  }

  @Test
  void theSameInputsAreBuiltOnceForAllContainersAndAcrossRestarts() throws Exception {
    nix();
    List<Container> two = containers("a", "b");
    awaitBuilt(two, files("gen 1"));
    awaitBuilt(two, files("gen 1"));
    assertThat(builder.builds).isEqualTo(1);
    nix.close();

    nix();
    SystemBuilds again = nix.forPass(two, files("gen 1"));
    assertThat(again.systemOf("a")).isPresent().isEqualTo(again.systemOf("b"));
    assertThat(builder.builds).as("the cache survives a restart").isEqualTo(1);

    awaitBuilt(two, files("gen 2"));
    assertThat(builder.builds).isEqualTo(2);
  }

  @Test
  void aCollectedSystemIsBuiltAgain() throws Exception {
    nix();
    List<Container> web = containers("web");
    String system = awaitBuilt(web, files("gen 1")).systemOf("web").orElseThrow();
    roots().release("web");
    Files.delete(Path.of(system, "init"));
    Files.delete(Path.of(system));

    SystemBuilds again = awaitBuilt(web, files("gen 1"));

    assertThat(builder.builds).isEqualTo(2);
    assertThat(again.systemOf("web")).isPresent();
  }

  @Test
  void aFailedBuildIsReportedAndTriedAgainOnlyLaterOrWithNewInputs() throws Exception {
    nix();
    builder.failure = "error: undefined variable 'x'";
    List<Container> web = containers("web");

    SystemBuilds failed = awaitBuilt(web, files("broken"));
    assertThat(failed.systemOf("web")).isEmpty();
    assertThat(failed.unbuilt("web").failed()).isTrue();
    assertThat(failed.unbuilt("web").reason()).contains("undefined variable 'x'");
    assertThat(events.get(0).failure()).contains("undefined variable 'x'");

    awaitBuilt(web, files("broken"));
    assertThat(builder.builds).as("not again at once").isEqualTo(1);

    clock.advance(NixSystems.RETRY_FAILED.plusSeconds(1));
    awaitBuilt(web, files("broken"));
    assertThat(builder.builds).isEqualTo(2);

    builder.failure = null;
    assertThat(awaitBuilt(web, files("fixed")).systemOf("web")).isPresent();
  }

  @Test
  void anActivatedSystemIsTheOnlyOneRootedAndARemovedContainerLosesItsRoots() throws Exception {
    nix();
    List<Container> web = containers("web");
    SystemBuilds one = awaitBuilt(web, files("gen 1"));
    nix.afterPass(web, report(ActionClass.CREATE, Outcome.CONVERGED), one);
    assertThat(roots().current("web")).isEqualTo(one.systemOf("web"));

    SystemBuilds two = awaitBuilt(web, files("gen 2"));
    nix.afterPass(web, report(ActionClass.RELOAD, Outcome.FAILED), two);
    assertThat(roots().current("web"))
        .as("the failed reload left gen 1 running")
        .isEqualTo(one.systemOf("web"));
    assertThat(roots().next("web")).isEqualTo(two.systemOf("web"));

    nix.afterPass(web, report(ActionClass.WRITE, Outcome.CONVERGED), two);
    assertThat(roots().current("web"))
        .as("strategy none activates nothing")
        .isEqualTo(one.systemOf("web"));

    nix.afterPass(web, report(ActionClass.RELOAD, Outcome.CONVERGED), two);
    assertThat(roots().current("web")).isEqualTo(two.systemOf("web"));
    assertThat(roots().next("web")).isEmpty();

    nix.afterPass(List.of(), report(ActionClass.REMOVE, Outcome.CONVERGED), SystemBuilds.NONE);
    assertThat(roots().current("web")).isEmpty();
  }

  private static ApplyReport report(ActionClass action, Outcome outcome) {
    return new ApplyReport(
        "h1", List.of(new ContainerResult("web", action, outcome, "", false)), null);
  }

  /** Builds by writing a directory with an init into a fake store, numbered by build. */
  private final class FakeBuilder implements SystemBuilder {
    Path store;
    final List<String> sources = new ArrayList<>();
    volatile CountDownLatch hold;
    volatile String failure;
    volatile int builds;

    @Override
    public String build(Path source, BuildKey key, Path outLink, Path log, Duration timeout)
        throws BuildFailure {
      try {
        if (hold != null) {
          hold.await(10, TimeUnit.SECONDS);
        }
        store = dir.resolve("store");
        builds++;
        sources.add(Files.readString(source.resolve(key.file())));
        if (failure != null) {
          throw new BuildFailure("the build of " + key.describe() + " failed: " + failure);
        }
        Path system = store.resolve("system-" + builds);
        Files.createDirectories(system);
        Files.writeString(system.resolve("init"), "#!/bin/sh\n");
        Files.createDirectories(outLink.getParent());
        Files.deleteIfExists(outLink);
        Files.createSymbolicLink(outLink, system);
        return system.toString();
      } catch (IOException | InterruptedException e) {
        throw new BuildFailure(e.toString());
      }
    }
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-29T10:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
