package dev.berth.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.host.HealthProbes.ProbeTarget;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeAddressTest {
  private static final ProbeTarget WEB = new ProbeTarget("web", false);

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void theFirstIpv4AddressWinsOverAnEarlierIpv6One() throws Exception {
    List<InetAddress> all = List.of(ip("fd00::2"), ip("10.0.0.2"), ip("10.0.0.3"));

    ProbeAddress chosen = ProbeAddress.of(WEB, machine -> all);

    assertThat(chosen.address()).isEqualTo(ip("10.0.0.2"));
    assertThat(chosen.authority(8080)).isEqualTo("10.0.0.2:8080");
  }

  @Test
  void withoutIpv4TheFirstGlobalIpv6AddressIsBracketed() throws Exception {
    List<InetAddress> all = List.of(ip("fe80::1"), ip("fd00::2"));

    ProbeAddress chosen = ProbeAddress.of(WEB, machine -> all);

    assertThat(chosen.address()).isEqualTo(ip("fd00::2"));
    assertThat(chosen.authority(80)).isEqualTo("[fd00:0:0:0:0:0:0:2]:80");
  }

  @Test
  void onlyLinkLocalAddressesAreSkippedWithTheReason() throws Exception {
    List<InetAddress> all = List.of(ip("fe80::1"));

    ProbeAddress chosen = ProbeAddress.of(WEB, machine -> all);

    assertThat(chosen.address()).isNull();
    assertThat(chosen.unreachable()).startsWith("web has only IPv6 link-local addresses");
  }

  @Test
  void noAddressAtAllSaysSo() {
    ProbeAddress chosen = ProbeAddress.of(WEB, machine -> List.of());

    assertThat(chosen.unreachable()).isEqualTo("web has no address to probe (is its network up?)");
  }
}
