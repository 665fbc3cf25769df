package dev.berth.agent.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball cache's checks: a cached tarball is hashed again once anything changed it since its
 * last check, never used as it stands then; one that is unchanged is taken as checked.
 */
class TarballFetcherTest {
  @TempDir Path tmp;

  /**
   * Lets the clock pass the file system's timestamp granularity (a few milliseconds): a change made
   * in the very tick of the check would not move the file's times.
   */
  private static void nextTick() throws InterruptedException {
    Thread.sleep(50);
  }

  private Path source(String content) throws IOException {
    Path file = tmp.resolve("source.tar");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aCachedTarballOverwrittenWithBytesOfTheSameSizeIsFetchedAgain() throws Exception {
    Path source = source("the real bytes\n");
    String sha = TarballFetcher.hash(source);
    TarballFetcher fetcher = new TarballFetcher(tmp.resolve("cache"));
    Path cached = fetcher.fetch(source.toUri().toString(), sha);
    fetcher.fetch(source.toUri().toString(), sha);

    nextTick();
    Files.writeString(cached, "the fake bytes\n", StandardCharsets.UTF_8);

    assertThat(fetcher.fetch(source.toUri().toString(), sha)).isEqualTo(cached);
    assertThat(cached).hasContent("the real bytes");
    assertThat(TarballFetcher.hash(cached)).isEqualTo(sha);
  }

  @Test
  void aStampTellsAnUnchangedFileFromARewrittenOrChmoddedOrReplacedOne() throws Exception {
    Path file = source("bytes\n");
    CheckedTarballs checked = new CheckedTarballs();
    checked.checked(file, CheckedTarballs.Stamp.of(file).orElseThrow());
    assertThat(checked.unchangedSinceChecked(file)).isTrue();

    nextTick();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(checked.unchangedSinceChecked(file)).isFalse();

    checked.checked(file, CheckedTarballs.Stamp.of(file).orElseThrow());
    Path other = tmp.resolve("other.tar");
    Files.writeString(other, "BYTES\n", StandardCharsets.UTF_8);
    Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(checked.unchangedSinceChecked(file)).isFalse();

    checked.checked(file, CheckedTarballs.Stamp.of(file).orElseThrow());
    Files.delete(file);
    assertThat(checked.unchangedSinceChecked(file)).isFalse();
  }

  @Test
  void aFileThatChangedWhileItWasHashedIsNotTakenAsChecked() throws Exception {
    Path file = source("bytes\n");
    CheckedTarballs.Stamp before = CheckedTarballs.Stamp.of(file).orElseThrow();
    nextTick();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    CheckedTarballs checked = new CheckedTarballs();
    checked.checked(file, before);

    assertThat(checked.unchangedSinceChecked(file)).isFalse();
  }

  @Test
  void containersOfOneImageFetchingAtOnceGetOneCachedCopy() throws Exception {
    Path source = source("shared image\n");
    String sha = TarballFetcher.hash(source);
    TarballFetcher fetcher = new TarballFetcher(tmp.resolve("cache"));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    Set<Path> paths = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> fetches = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        fetches.add(threads.submit(() -> paths.add(fetcher.fetch(source.toUri().toString(), sha))));
      }
      for (Future<?> fetch : fetches) {
        fetch.get();
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(paths).containsExactly(tmp.resolve("cache").resolve(sha + ".tar"));
    try (var files = Files.list(tmp.resolve("cache"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(sha + ".tar");
    }
  }
}
