package dev.berth.reconciler.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InterfaceNameTest {

  @Test
  void sipHashMatchesTheReferenceVector() {
    // SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e.
    byte[] key = new byte[16];
    byte[] message = new byte[15];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) i;
    }
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) i;
    }
    assertThat(SipHash24.hash(key, message)).isEqualTo(0xa129ca6149be45e5L);
    assertThat(SipHash24.hash(key, new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
  }

  @Test
  void namesThatFitAreKept() {
    assertThat(InterfaceName.candidates("ve-twelvechars")).containsExactly("ve-twelvechars");
    assertThat(InterfaceName.fits("ve-" + "a".repeat(12))).isTrue();
    assertThat(InterfaceName.fits("ve-" + "a".repeat(13))).isFalse();
  }

  @Test
  void longNamesAreShortenedAsSystemdDoes() {
    // Seen on systemd 252 (Debian 12): machine averyverylongname got ve-averyvergrlw.
    assertThat(InterfaceName.shortened("ve-averyverylongname")).isEqualTo("ve-averyvergrlw");
    assertThat(InterfaceName.truncated("ve-averyverylongname")).isEqualTo("ve-averyverylon");
    assertThat(InterfaceName.candidates("ve-averyverylongname"))
        .containsExactly("ve-averyvergrlw", "ve-averyverylon");
    assertThat(InterfaceName.shortened("ve-averyverylongname").getBytes(StandardCharsets.UTF_8))
        .hasSize(InterfaceName.MAX_BYTES);
  }

  @Test
  void namesSharingAPrefixGetDifferentInterfaces() {
    assertThat(InterfaceName.shortened("ve-database-one"))
        .isEqualTo("ve-database-one"); // 15 bytes: fits
    assertThat(InterfaceName.shortened("ve-database-one1"))
        .isNotEqualTo(InterfaceName.shortened("ve-database-one2"))
        .startsWith("ve-database");
  }
}
