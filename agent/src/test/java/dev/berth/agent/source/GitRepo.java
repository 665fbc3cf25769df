package dev.berth.agent.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Git repository made with the real git CLI, isolated from the user's and system's config. */
public final class GitRepo {
  private final Path dir;
  private final Map<String, String> env = new HashMap<>();

  private GitRepo(Path dir, Path home) {
    this.dir = dir;
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_AUTHOR_NAME", "Berth Test");
    env.put("GIT_AUTHOR_EMAIL", "test@berth.dev");
    env.put("GIT_COMMITTER_NAME", "Berth Test");
    env.put("GIT_COMMITTER_EMAIL", "test@berth.dev");
  }

  /** A new repository with branch main in {@code dir}. */
  public static GitRepo init(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path home = dir.resolveSibling(dir.getFileName() + ".home");
    Files.createDirectories(home);
    GitRepo repo = new GitRepo(dir, home);
    repo.git("init", "-q", "-b", "main");
    return repo;
  }

  Path dir() {
    return dir;
  }

  public String url() {
    return dir.toUri().toString();
  }

  GitRepo env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public GitRepo write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return this;
  }

  GitRepo symlink(String path, String target) throws IOException {
    Path link = dir.resolve(path);
    Files.createDirectories(link.getParent());
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of(target));
    return this;
  }

  /** Commits everything and returns the new commit's hash. */
  public String commit(String message, String... options) throws IOException {
    git("add", "-A");
    List<String> args = new ArrayList<>(List.of("commit", "-q", "--allow-empty", "-m", message));
    args.addAll(0, List.of(options));
    git(args.toArray(String[]::new));
    return head();
  }

  String head() throws IOException {
    return git("rev-parse", "HEAD").trim();
  }

  /** Runs git in the repository and returns its standard output; fails on a non-zero exit. */
  String git(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    return run(dir, env, command);
  }

  static String run(Path dir, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Path err = Files.createTempFile("berth-test", ".err");
    builder.redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String stderr = Files.readString(err);
    Files.delete(err);
    if (process.exitValue() != 0) {
      throw new IOException(command + " failed (" + process.exitValue() + "): " + stderr + out);
    }
    return out;
  }
}
