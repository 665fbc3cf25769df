package dev.berth.agent.files;

import dev.berth.agent.source.AppliedCommit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commit this host last applied from a source, kept across restarts (in {@code
 * /var/lib/berth/applied-revision}): what a new wanted revision must descend from. One line, {@code
 * COMMIT URL}; a record of another URL is no constraint (the source changed by the operator's
 * hand), and without the file the first revision is accepted as it is.
 */
public final class AppliedRevisionFile implements AppliedCommit {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final int MAX_BYTES = 16 * 1024;

  private final Path file;
  private final String url;
  private volatile Optional<String> commit;

  /** The record in {@code file} for the source at {@code url}; an unreadable record is an error. */
  public AppliedRevisionFile(Path file, String url) throws IOException {
    this.file = file;
    this.url = url;
    this.commit = read(file, url);
  }

  @Override
  public Optional<String> commit() {
    return commit;
  }

  /** Records {@code applied} as the commit this host now runs (written atomically, fsynced). */
  public synchronized void record(String applied) throws IOException {
    if (commit.filter(applied::equals).isPresent()) {
      return;
    }
    AtomicFiles.write(file, (applied + " " + url + "\n").getBytes(StandardCharsets.UTF_8));
    commit = Optional.of(applied);
  }

  private static Optional<String> read(Path file, String url) throws IOException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException(file + ": not a record of an applied revision (too large)");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String line = new String(bytes, StandardCharsets.UTF_8).strip();
    int space = line.indexOf(' ');
    String recorded = space < 0 ? line : line.substring(0, space);
    if (!COMMIT.matcher(recorded).matches()) {
      throw new IOException(
          file + ": not a record of an applied revision; delete it to accept any revision once");
    }
    String recordedUrl = space < 0 ? "" : line.substring(space + 1);
    return recordedUrl.equals(url) ? Optional.of(recorded) : Optional.empty();
  }
}
