package dev.berth.agent.images;

import dev.berth.agent.files.AtomicFiles;
import dev.berth.agent.tls.CaCertificates;
import dev.berth.agent.tls.TlsRefusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches a tarball over {@code https://} or from {@code file://} into a cache named by its sha256,
 * and keeps it only if the hash matches: nothing is unpacked from bytes that were not checked. A
 * cached tarball is hashed again only once it changed since its last check ({@link
 * CheckedTarballs}); callers of one image fetch it one at a time, so that it is fetched once. Over
 * https the CAs of {@code source.caFile} (or the CLI's {@code --ca-file}) are trusted besides the
 * JVM's.
 */
final class TarballFetcher {
  private final Path cacheDir;
  private final Path caFile;
  private final String caSetting;
  private HttpClient http;
  private final CheckedTarballs checked = new CheckedTarballs();
  private final Map<String, Object> fetching = new ConcurrentHashMap<>();

  TarballFetcher(Path cacheDir) {
    this(cacheDir, null, TlsRefusal.AGENT_CA_SETTING);
  }

  /**
   * {@code caFile}: PEM certificates of CAs trusted besides the JVM's, or null; {@code caSetting}:
   * the setting that names it, for messages.
   */
  TarballFetcher(Path cacheDir, Path caFile, String caSetting) {
    this.cacheDir = cacheDir;
    this.caFile = caFile;
    this.caSetting = caSetting;
  }

  /** The HTTPS client, made at the first download: it loads TLS, which most passes never use. */
  private synchronized HttpClient http() throws IOException {
    if (http == null) {
      HttpClient.Builder builder =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(30));
      if (caFile != null) {
        try {
          builder.sslContext(CaCertificates.read(caFile).sslContext());
        } catch (IOException e) {
          throw new IOException(caSetting + ": " + e.getMessage(), e);
        }
      }
      http = builder.build();
    }
    return http;
  }

  /** The verified tarball's path in the cache. */
  Path fetch(String url, String sha256) throws IOException {
    synchronized (fetching.computeIfAbsent(sha256, key -> new Object())) {
      Path cached = cacheDir.resolve(sha256 + ".tar");
      return isCachedIntact(cached, sha256) ? cached : download(url, sha256, cached);
    }
  }

  /** Whether the cached file holds the bytes of {@code sha256}: checked now, or unchanged since. */
  private boolean isCachedIntact(Path cached, String sha256) throws IOException {
    if (checked.unchangedSinceChecked(cached)) {
      return true;
    }
    Optional<CheckedTarballs.Stamp> before = CheckedTarballs.Stamp.of(cached);
    if (before.isEmpty()) {
      return false;
    }
    if (!sha256.equals(hash(cached))) {
      checked.forget(cached);
      return false;
    }
    checked.checked(cached, before.get());
    return true;
  }

  private Path download(String url, String sha256, Path cached) throws IOException {
    Files.createDirectories(cacheDir);
    Path partial = Files.createTempFile(cacheDir, ".fetch-", ".part");
    try {
      String actual;
      try (InputStream in = open(url);
          OutputStream out = Files.newOutputStream(partial)) {
        DigestInputStream digesting = new DigestInputStream(in, sha256());
        digesting.transferTo(out);
        actual = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
      }
      if (!actual.equals(sha256)) {
        throw new IOException(
            "sha256 mismatch for "
                + url
                + ": expected "
                + sha256
                + ", got "
                + actual
                + "; nothing was unpacked");
      }
      Files.move(
          partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.syncDirectory(cacheDir);
      // Its bytes were hashed on their way in: checked as the file stands now.
      Optional<CheckedTarballs.Stamp> stamp = CheckedTarballs.Stamp.of(cached);
      if (stamp.isPresent()) {
        checked.checked(cached, stamp.get());
      }
      return cached;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private InputStream open(String url) throws IOException {
    URI uri = URI.create(url);
    if ("file".equals(uri.getScheme())) {
      return Files.newInputStream(Path.of(uri));
    }
    if (!"https".equals(uri.getScheme())) {
      throw new IOException("unsupported URL scheme in " + url + "; use https:// or file://");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET().build();
    try {
      HttpResponse<InputStream> response =
          http().send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + url, e);
    } catch (IOException e) {
      throw TlsRefusal.describe(url, e, caSetting).map(line -> new IOException(line, e)).orElse(e);
    }
  }

  static String hash(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
      DigestInputStream digesting = (DigestInputStream) in;
      digesting.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
