package dev.berth.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCertificatesTest {
  @TempDir Path tmp;

  @Test
  void theCasOfTheFileAreTrustedBesidesTheJvmsOwn() throws Exception {
    TestCa one = TestCa.create("one");
    TestCa two = TestCa.create("two");
    Path file = tmp.resolve("bundle.pem");
    String bundle =
        Files.readString(one.writePem(tmp.resolve("one.pem")))
            + Files.readString(two.writePem(tmp.resolve("two.pem")));
    Files.writeString(file, bundle);

    CaCertificates cas = CaCertificates.read(file);
    List<X509Certificate> trusted = List.of(cas.trustManager().getAcceptedIssuers());

    assertThat(cas.certificates()).containsExactly(one.certificate(), two.certificate());
    assertThat(trusted).contains(one.certificate(), two.certificate());
    assertThat(jvm()).isNotEmpty();
    assertThat(trusted).containsAll(jvm()).hasSize(jvm().size() + 2);
  }

  @Test
  void aFileLargerThanACaBundleIsRefused() throws Exception {
    Path big = Files.write(tmp.resolve("big.pem"), new byte[CaCertificates.MAX_FILE + 1]);

    assertThatThrownBy(() -> CaCertificates.read(big))
        .isInstanceOf(IOException.class)
        .hasMessage(big + " is larger than 1 MiB; a CA file holds a few certificates");
  }

  @Test
  void aPrivateKeyIsNoCertificate() throws Exception {
    Path key =
        Files.writeString(
            tmp.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> CaCertificates.read(key))
        .isInstanceOf(IOException.class)
        .hasMessage(key + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }

  private static List<X509Certificate> jvm() throws Exception {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return List.of(((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers());
  }
}
