package dev.berth.reconciler.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.model.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyAddressesTest {

  @Test
  void bareAddressesShareTheSmallestNetworkThatHoldsBoth() {
    FamilyAddresses v4 = FamilyAddresses.of(at("10.233.1.2"), at("10.233.1.1"), false);
    FamilyAddresses v6 = FamilyAddresses.of(at("fc00::2"), at("fc00::1"), false);
    FamilyAddresses adjacent = FamilyAddresses.of(at("10.0.0.3"), at("10.0.0.2"), false);

    assertThat(v4.containerPool()).containsExactly("10.233.1.2/30");
    assertThat(v4.hostAddresses()).containsExactly("10.233.1.1/30");
    assertThat(v4.note()).contains("/30");
    assertThat(v6.containerPool()).containsExactly("fc00::2/126");
    assertThat(adjacent.containerPool()).containsExactly("10.0.0.3/31");
  }

  @Test
  void anExplicitPrefixThatHoldsTheOtherEndIsKeptForBoth() {
    FamilyAddresses family = FamilyAddresses.of(at("10.0.0.20/24"), at("10.0.0.1"), false);

    assertThat(family.containerPool()).containsExactly("10.0.0.20/24");
    assertThat(family.hostAddresses()).containsExactly("10.0.0.1/24");
  }

  @Test
  void explicitPrefixesAreKeptAsWritten() {
    FamilyAddresses family = FamilyAddresses.of(at("10.0.0.2/24"), at("10.0.0.1/16"), false);

    assertThat(family.containerPool()).containsExactly("10.0.0.2/24");
    assertThat(family.hostAddresses()).containsExactly("10.0.0.1/16");
    assertThat(family.note()).isNull();
  }

  @Test
  void onABridgeTheHostAddressIsTheGateway() {
    FamilyAddresses family = FamilyAddresses.of(at("192.168.1.20/24"), at("192.168.1.1"), true);

    assertThat(family.containerPool()).containsExactly("192.168.1.20/24");
    assertThat(family.hostAddresses()).isEmpty();
    assertThat(family.gateway()).isEqualTo("192.168.1.1");
  }

  @Test
  void oneEndAloneIsASingleAddress() {
    assertThat(FamilyAddresses.of(at("10.0.0.2"), null, false).containerPool())
        .isEqualTo(List.of("10.0.0.2/32"));
    assertThat(FamilyAddresses.of(null, at("fd00::1"), false).hostAddresses())
        .isEqualTo(List.of("fd00::1/128"));
    assertThat(FamilyAddresses.of(null, null, false).isEmpty()).isTrue();
  }

  private static FamilyAddresses.Written at(String text) {
    return new FamilyAddresses.Written(
        Cidr.parse(text, false).orElseThrow(), text.contains("/"), text);
  }
}
