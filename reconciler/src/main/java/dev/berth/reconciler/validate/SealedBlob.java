package dev.berth.reconciler.validate;

import java.util.Base64;

/**
 * What {@code systemd-creds encrypt} writes: Base64 text (wrapped in lines) of a header and the
 * ciphertext. A file that is no such text was not sealed, and may be a secret in the clear.
 */
final class SealedBlob {
  /** The smallest blob systemd writes: its header, IV, metadata and tag alone take more. */
  private static final int MIN_DECODED_BYTES = 48;

  private SealedBlob() {}

  static boolean isCiphertext(byte[] content) {
    StringBuilder base64 = new StringBuilder(content.length);
    for (byte b : content) {
      char c = (char) (b & 0xff);
      if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
        continue;
      }
      boolean alphabet =
          c >= 'A' && c <= 'Z'
              || c >= 'a' && c <= 'z'
              || c >= '0' && c <= '9'
              || c == '+'
              || c == '/'
              || c == '=';
      if (!alphabet) {
        return false;
      }
      base64.append(c);
    }
    try {
      return Base64.getDecoder().decode(base64.toString()).length >= MIN_DECODED_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
