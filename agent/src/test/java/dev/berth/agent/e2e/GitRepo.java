package dev.berth.agent.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bare repository the agent polls, and a clone the test commits and pushes from, with real git.
 */
final class GitRepo {
  final Path bare;
  final Path clone;

  private GitRepo(Path bare, Path clone) {
    this.bare = bare;
    this.clone = clone;
  }

  static GitRepo create(Path dir) throws IOException, InterruptedException {
    Path bare = dir.resolve("repo.git");
    Path clone = dir.resolve("clone");
    git(dir, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
    git(dir, "init", "--quiet", "--initial-branch=main", clone.toString());
    git(clone, "remote", "add", "origin", bare.toString());
    return new GitRepo(bare, clone);
  }

  void write(String file, String content) throws IOException {
    Files.createDirectories(clone.resolve(file).getParent());
    Files.writeString(clone.resolve(file), content);
  }

  void delete(String file) throws IOException {
    Files.deleteIfExists(clone.resolve(file));
  }

  /** Commits everything and pushes; returns the commit id. */
  String commitAndPush(String message) throws IOException, InterruptedException {
    String commit = commit(message);
    git(clone, "push", "--quiet", "origin", "main");
    return commit;
  }

  /** Commits everything in the clone, pushing nothing; returns the commit id. */
  String commit(String message) throws IOException, InterruptedException {
    git(clone, "add", "--all");
    git(
        clone,
        "-c",
        "user.name=berth-e2e",
        "-c",
        "user.email=e2e@berth.invalid",
        "commit",
        "--quiet",
        "--allow-empty",
        "-m",
        message);
    return git(clone, "rev-parse", "HEAD").strip();
  }

  /** The clone's current commit. */
  String head() throws IOException, InterruptedException {
    return git(clone, "rev-parse", "HEAD").strip();
  }

  /** Moves main back to {@code commit} in the clone and force-pushes it: history rewound. */
  void forcePush(String commit) throws IOException, InterruptedException {
    git(clone, "reset", "--quiet", "--hard", commit);
    git(clone, "push", "--quiet", "--force", "origin", "main");
  }

  /**
   * Commits everything signed with the OpenPGP key {@code fingerprint} from {@code gnupgHome}, and
   * pushes.
   */
  String commitSignedAndPush(String message, Path gnupgHome, String fingerprint)
      throws IOException, InterruptedException {
    git(clone, "add", "--all");
    gitWith(
        clone,
        gnupgHome,
        "-c",
        "user.name=berth-e2e",
        "-c",
        "user.email=e2e@berth.invalid",
        "-c",
        "gpg.program=gpg",
        "-c",
        "user.signingkey=" + fingerprint,
        "commit",
        "--quiet",
        "--allow-empty",
        "-S",
        "-m",
        message);
    git(clone, "push", "--quiet", "origin", "main");
    return git(clone, "rev-parse", "HEAD").strip();
  }

  static String git(Path dir, String... args) throws IOException, InterruptedException {
    return gitWith(dir, null, args);
  }

  private static String gitWith(Path dir, Path gnupgHome, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (gnupgHome != null) {
      builder.environment().put("GNUPGHOME", gnupgHome.toString());
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
    }
    return output;
  }
}
