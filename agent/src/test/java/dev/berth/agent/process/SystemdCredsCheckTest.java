package dev.berth.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The decrypt check against the real {@code systemd-creds} of this machine, with a blob that no key
 * opens: it fails in parsing, before any key is read (a blob that decrypts is tried on the real
 * systemd host, SealedCredentialE2E).
 */
class SystemdCredsCheckTest {
  @Test
  void aBlobThatIsNoCredentialIsRefusedWithWhatSystemdCredsSays() {
    String notACredential = java.util.Base64.getEncoder().encodeToString(new byte[96]).concat("\n");

    Optional<String> refusal = new SystemdCredsCheck().refusal("db-password", notACredential);

    assertThat(refusal).isPresent();
    assertThat(refusal.get()).startsWith("systemd-creds decrypt exited 1: ").doesNotContain("\n");
  }
}
