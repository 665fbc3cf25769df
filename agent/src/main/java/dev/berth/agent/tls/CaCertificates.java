package dev.berth.agent.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities of {@code source.caFile}, trusted for the HTTPS servers berth fetches
 * from (the Git remote, tarball images) besides the JVM's own trust store, so that a private CA
 * adds to the public ones rather than replacing them.
 */
public final class CaCertificates {
  /** A CA bundle is a few certificates; a larger file is a mistake. */
  static final int MAX_FILE = 1024 * 1024;

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";

  private final Path file;
  private final List<X509Certificate> certificates;

  private CaCertificates(Path file, List<X509Certificate> certificates) {
    this.file = file;
    this.certificates = List.copyOf(certificates);
  }

  /**
   * Reads the PEM certificates of {@code file}.
   *
   * @throws IOException with a one-line reason when the file cannot be read, is not PEM or holds no
   *     certificate
   */
  public static CaCertificates read(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE + 1);
    } catch (NoSuchFileException e) {
      throw new IOException(file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new IOException("cannot read " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + reason(e), e);
    }
    if (bytes.length > MAX_FILE) {
      throw new IOException(file + " is larger than 1 MiB; a CA file holds a few certificates");
    }
    if (!new String(bytes, StandardCharsets.US_ASCII).contains(BEGIN)) {
      throw new IOException(file + " holds no PEM certificate (" + BEGIN + ")");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (var each :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))) {
        certificates.add((X509Certificate) each);
      }
    } catch (CertificateException e) {
      throw new IOException(file + " is not a valid PEM certificate file: " + reason(e), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(file + " holds no PEM certificate (" + BEGIN + ")");
    }
    return new CaCertificates(file, certificates);
  }

  /** The file the certificates were read from, for messages. */
  public Path file() {
    return file;
  }

  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** A trust manager that accepts a chain to one of these CAs or to one the JVM trusts. */
  public X509TrustManager trustManager() {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate jvm : jvmTrustManager().getAcceptedIssuers()) {
        anchors.setCertificateEntry("jvm-" + n++, jvm);
      }
      for (X509Certificate ca : certificates) {
        anchors.setCertificateEntry("ca-file-" + n++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      return x509(factory.getTrustManagers());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the trust store: " + reason(e), e);
    }
  }

  /** A TLS context that trusts {@link #trustManager()}; client certificates are not sent. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS context: " + reason(e), e);
    }
  }

  private static X509TrustManager jvmTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return x509(factory.getTrustManagers());
  }

  private static X509TrustManager x509(TrustManager[] managers) {
    for (TrustManager manager : managers) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("the JVM has no X.509 trust manager");
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
  }
}
