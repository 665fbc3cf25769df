package dev.berth.reconciler.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.model.Cidr;
import org.junit.jupiter.api.Test;

class UlaPrefixTest {

  @Test
  void aNameAlwaysGetsTheSamePrefixAndNamesDiffer() {
    UlaPrefix web = UlaPrefix.of("container", "web");

    assertThat(UlaPrefix.of("container", "web")).isEqualTo(web);
    assertThat(UlaPrefix.of("zone", "web").prefix()).isNotEqualTo(web.prefix());
    assertThat(web.prefix()).startsWith("fd").endsWith("::/64");
    assertThat(web.hostAddress()).isEqualTo(web.prefix().replace("::/64", "::1/64"));
  }

  @Test
  void networksAndHostsAreWrittenAsPeopleAndNetworkdWriteThem() {
    assertThat(UlaPrefix.network(Cidr.parse("fd00:7::53/64", true).orElseThrow()))
        .isEqualTo("fd00:7::/64");
    assertThat(UlaPrefix.network(Cidr.parse("fd00:0:1:2:3::9/64", true).orElseThrow()))
        .isEqualTo("fd00:0:1:2::/64");
    assertThat(UlaPrefix.firstHost("fd00:7::/64")).isEqualTo("fd00:7::1/64");
    assertThat(UlaPrefix.firstHost("2001:db8:0:1::/64")).isEqualTo("2001:db8:0:1::1/64");
  }
}
