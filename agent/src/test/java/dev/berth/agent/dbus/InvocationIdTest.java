package dev.berth.agent.dbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvocationIdTest {
  private static final byte[] ID = {
    (byte) 0x8f,
    0x1a,
    0x00,
    0x7c,
    (byte) 0xe2,
    0x41,
    0x4d,
    0x0b,
    (byte) 0x9a,
    0x33,
    0x10,
    (byte) 0xff,
    0x01,
    0x02,
    0x5e,
    0x6d
  };

  @Test
  void sixteenBytesAreThe32HexDigitsOfTheJournalField() {
    assertThat(InvocationId.hex(ID)).isEqualTo("8f1a007ce2414d0b9a3310ff01025e6d");
  }

  @Test
  void aListOfBytesReadsAsTheArrayDoes() {
    List<Byte> list = new ArrayList<>();
    for (byte b : ID) {
      list.add(b);
    }
    assertThat(InvocationId.hex(list)).isEqualTo("8f1a007ce2414d0b9a3310ff01025e6d");
  }

  @Test
  void aUnitThatNeverRanOrAValueOfAnotherShapeHasNone() {
    assertThat(InvocationId.hex(new byte[0])).isEmpty();
    assertThat(InvocationId.hex(new byte[16])).isEmpty();
    assertThat(InvocationId.hex(new byte[15])).isEmpty();
    assertThat(InvocationId.hex("unknown")).isEmpty();
  }
}
