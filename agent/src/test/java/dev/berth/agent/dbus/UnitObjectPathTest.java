package dev.berth.agent.dbus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitObjectPathTest {
  @Test
  void escapesAsSystemdDoes() {
    // As busctl tree org.freedesktop.systemd1 lists them on systemd 252.
    assertThat(UnitObjectPath.of("systemd-nspawn@web.service"))
        .isEqualTo("/org/freedesktop/systemd1/unit/systemd_2dnspawn_40web_2eservice");
    assertThat(UnitObjectPath.of("systemd-nspawn@c01.service"))
        .isEqualTo("/org/freedesktop/systemd1/unit/systemd_2dnspawn_40c01_2eservice");
    assertThat(UnitObjectPath.of("2fa.service"))
        .isEqualTo("/org/freedesktop/systemd1/unit/_32fa_2eservice");
    assertThat(UnitObjectPath.of("")).isEqualTo("/org/freedesktop/systemd1/unit/_");
  }
}
