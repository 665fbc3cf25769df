package dev.berth.reconciler.host;

import java.util.Optional;

/**
 * Whether this host can decrypt a sealed credential ({@code systemd-creds}), tried before a
 * container that needs it changes. Only the outcome comes back: the plaintext is discarded.
 */
public interface CredentialCheck {

  /**
   * Empty when this host decrypts {@code ciphertext} as the credential named {@code id}; otherwise
   * why it cannot, in one line.
   */
  Optional<String> refusal(String id, String ciphertext);
}
