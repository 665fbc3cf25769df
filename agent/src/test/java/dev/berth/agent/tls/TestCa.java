package dev.berth.agent.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test: a self-signed CA certificate, and the server
 * certificates it signs for 127.0.0.1 and localhost, as a private CA of an organisation would.
 */
public final class TestCa {
  private final AtomicLong serials = new AtomicLong(1);
  private final KeyPair key;
  private final X509Certificate certificate;
  private final X500Name name;

  private TestCa(String commonName) throws GeneralSecurityException, IOException {
    this.key = keyPair();
    this.name = new X500Name("CN=" + commonName);
    this.certificate =
        sign(
            new JcaX509v3CertificateBuilder(
                    name, serial(), notBefore(), notAfter(), name, key.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
  }

  /** A new CA whose certificate names {@code commonName}. */
  public static TestCa create(String commonName) throws GeneralSecurityException, IOException {
    return new TestCa(commonName);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes the CA's certificate as PEM, as {@code source.caFile} takes it. */
  public Path writePem(Path file) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(certificate);
    }
    Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    return file;
  }

  /** A TLS server context whose certificate, for 127.0.0.1 and localhost, this CA signed. */
  public SSLContext serverContext() throws GeneralSecurityException, IOException {
    KeyPair server = keyPair();
    X509Certificate leaf =
        sign(
            new JcaX509v3CertificateBuilder(
                    name,
                    serial(),
                    notBefore(),
                    notAfter(),
                    new X500Name("CN=127.0.0.1"),
                    server.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(
                        new GeneralName[] {
                          new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                          new GeneralName(GeneralName.dNSName, "localhost")
                        })));
    char[] password = "test".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server", server.getPrivate(), password, new Certificate[] {leaf, certificate});
    KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }

  private X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private BigInteger serial() {
    return BigInteger.valueOf(serials.getAndIncrement());
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date notAfter() {
    return Date.from(Instant.now().plus(Duration.ofDays(1)));
  }
}
