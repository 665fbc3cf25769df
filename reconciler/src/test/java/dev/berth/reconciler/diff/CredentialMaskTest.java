package dev.berth.reconciler.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a diff may show of credential material: a blob's size and hash, a setting's ID. */
class CredentialMaskTest {
  private static final String BLOB = "k7Qm0dGhBase64CipherText==\n";

  @Test
  void aSealedCredentialsFileIsShownAsItsSizeAndHashOnly() {
    String shown = CredentialMask.text("var/lib/berth/credentials/web/db.cred", BLOB);

    assertThat(shown)
        .doesNotContain("k7Qm0dGh")
        .startsWith("sealed credential, 27 bytes of ciphertext, sha256 ")
        .endsWith(" (not shown)\n");
    assertThat(CredentialMask.text("var/lib/berth/credentials/web/db.cred", BLOB + "x"))
        .isNotEqualTo(shown);
  }

  @Test
  void otherFilesAreShownAsTheyAre() {
    assertThat(CredentialMask.text("etc/systemd/nspawn/web.nspawn", "[Exec]\nBoot=yes\n"))
        .isEqualTo("[Exec]\nBoot=yes\n");
  }

  @Test
  void aSetCredentialKeepsItsIdAndLosesItsValue() {
    assertThat(CredentialMask.line("SetCredential=token:hunter2"))
        .isEqualTo("SetCredential=token:********");
    assertThat(CredentialMask.line("SetCredentialEncrypted=db:Zm9vYmFy"))
        .isEqualTo("SetCredentialEncrypted=db:********");
    assertThat(CredentialMask.line("SetCredential=hunter2")).isEqualTo("SetCredential=********");
  }

  @Test
  void otherLinesAndPathsOfCredentialsAreShownAsTheyAre() {
    assertThat(CredentialMask.line("LoadCredentialEncrypted=db:/var/lib/berth/credentials/w/db"))
        .isEqualTo("LoadCredentialEncrypted=db:/var/lib/berth/credentials/w/db");
    assertThat(CredentialMask.line("Boot=yes")).isEqualTo("Boot=yes");
    assertThat(CredentialMask.line("SetCredential=")).isEqualTo("SetCredential=");
  }
}
