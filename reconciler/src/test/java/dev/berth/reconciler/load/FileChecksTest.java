package dev.berth.reconciler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.source.ManifestFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FileChecksTest {
  private static final byte[] NO_BYTES = new byte[0];

  private static CheckedFile checked(ManifestFile file) {
    return new CheckedFile(List.of(), List.of(), file.path().length());
  }

  private static List<ManifestFile> files(String... paths) {
    List<ManifestFile> files = new ArrayList<>();
    for (String path : paths) {
      files.add(new ManifestFile(path, NO_BYTES));
    }
    return files;
  }

  @Test
  void resultsComeInTheFilesOrderWhenALaterFileFinishesFirst() throws IOException {
    CountDownLatch secondDone = new CountDownLatch(1);
    List<String> finished = new ArrayList<>();
    List<String> handedBack = new ArrayList<>();
    try (FileChecks checks =
        new FileChecks(
            files("a", "bb"),
            file -> null,
            file -> {
              if (file.path().equals("a")) {
                await(secondDone); // "a" can finish only after "bb" did
              }
              synchronized (finished) {
                finished.add(file.path());
              }
              if (file.path().equals("bb")) {
                secondDone.countDown();
              }
              return checked(file);
            },
            2)) {
      while (checks.hasNext()) {
        handedBack.add(checks.next().file().path());
      }
    }

    assertThat(finished).containsExactly("bb", "a");
    assertThat(handedBack).containsExactly("a", "bb");
  }

  @Test
  void aReusedFileIsNotCheckedAgainAndSaysSo() throws IOException {
    List<String> checkedPaths = new ArrayList<>();
    List<Boolean> reused = new ArrayList<>();
    try (FileChecks checks =
        new FileChecks(
            files("a", "b", "c"),
            file -> file.path().equals("b") ? checked(file) : null,
            file -> {
              synchronized (checkedPaths) {
                checkedPaths.add(file.path());
              }
              return checked(file);
            },
            2)) {
      while (checks.hasNext()) {
        reused.add(checks.next().reused());
      }
    }

    assertThat(checkedPaths).containsExactlyInAnyOrder("a", "c");
    assertThat(reused).containsExactly(false, true, false);
  }

  @Test
  void aFailingCheckThrowsItsOwnExceptionToTheCaller() {
    try (FileChecks checks =
        new FileChecks(
            files("a"),
            file -> null,
            file -> {
              throw new IllegalStateException("no binding for kind X");
            },
            2)) {
      assertThatThrownBy(checks::next)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("no binding for kind X");
    }
  }

  @Test
  void oneThreadChecksEachFileOnlyWhenItIsAskedFor() throws IOException {
    List<String> checkedPaths = new ArrayList<>();
    try (FileChecks checks =
        new FileChecks(
            files("a", "b", "c"),
            file -> null,
            file -> {
              checkedPaths.add(file.path());
              return checked(file);
            },
            1)) {
      checks.next();

      assertThat(checkedPaths).containsExactly("a");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other check never finished");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
