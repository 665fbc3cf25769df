package dev.berth.reconciler.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/**
 * A systemd credential passed into the container, exactly one of: {@code path}, a file on the host
 * (nspawn's {@code --load-credential=ID:PATH}); or {@code encryptedFile}, a file in the repository
 * holding the output of {@code systemd-creds encrypt --name=ID}, which berth installs as it is and
 * systemd decrypts for the container's unit alone. {@code ciphertext} is that file's text, read by
 * the loader; never from the manifest itself.
 */
public record Credential(String id, String path, String encryptedFile, String ciphertext) {
  /**
   * The largest {@code encryptedFile}: systemd takes credentials up to 1 MiB per unit, and a sealed
   * secret is far smaller.
   */
  public static final int MAX_ENCRYPTED_FILE_BYTES = 64 << 10;

  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_.-]{1,255}$");

  /** A sealed one is installed as {@code ID.cred}, a file name of at most 255 bytes. */
  private static final int SEALED_ID_LENGTH = 250;

  /**
   * Why {@code id} cannot name a credential (a {@code sealed} one, when so), or null when it can:
   * systemd takes a file name of letters, digits, '_', '.' and '-', not "." or "..".
   */
  public static String idRefusal(String id, boolean sealed) {
    if (id == null || !ID.matcher(id).matches()) {
      return "use letters, digits, '_', '.' and '-'";
    }
    if (id.equals(".") || id.equals("..")) {
      return "\"" + id + "\" is not a file name systemd takes";
    }
    if (sealed && id.length() > SEALED_ID_LENGTH) {
      return "at most "
          + SEALED_ID_LENGTH
          + " characters for a sealed credential (stored as ID.cred)";
    }
    return null;
  }

  @JsonCreator
  public Credential(
      @JsonProperty("id") String id,
      @JsonProperty("path") String path,
      @JsonProperty("encryptedFile") String encryptedFile) {
    this(id, path, encryptedFile, null);
  }

  /** Whether this credential is sealed: a systemd-creds blob from the repository. */
  public boolean sealed() {
    return encryptedFile != null;
  }

  /** This credential with the text of its {@code encryptedFile}. */
  public Credential withCiphertext(String text) {
    return new Credential(id, path, encryptedFile, text);
  }

  @Override
  public String toString() {
    // The ciphertext is no secret, but has no place in logs either.
    return "Credential[id="
        + id
        + (path != null ? ", path=" + path : "")
        + (encryptedFile != null ? ", encryptedFile=" + encryptedFile : "")
        + "]";
  }
}
