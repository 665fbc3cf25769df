package dev.berth.reconciler.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** berth's networkd file names, built and told apart in one place. */
class HostPathsTest {
  @Test
  void aZonesAndAVethsNetworkFileNameGiveBackTheirZoneAndContainer() {
    String zoneFile =
        HostPaths.zoneNetwork("backend").substring(HostPaths.NETWORK_DIR.length() + 1);
    String vethFile = HostPaths.vethNetwork("web").substring(HostPaths.NETWORK_DIR.length() + 1);

    assertThat(zoneFile).isEqualTo("20-berth-vz-backend.network");
    assertThat(HostPaths.zoneOfNetworkFile(zoneFile)).contains("backend");
    assertThat(HostPaths.containerOfVethNetworkFile(vethFile)).contains("web");
    assertThat(HostPaths.zoneOfNetworkFile(vethFile)).isEmpty();
    assertThat(HostPaths.containerOfVethNetworkFile(zoneFile)).isEmpty();
    assertThat(HostPaths.isNetworkFileName(zoneFile)).isTrue();
    assertThat(HostPaths.isNetworkFileName(vethFile)).isTrue();
  }

  @Test
  void otherFilesAndAnEmptyNameAreNoZonesOrContainers() {
    for (String name :
        new String[] {
          "20-berth-vz-.network",
          "20-berth-vz-backend.netdev",
          "10-operator.network",
          "80-vz.network"
        }) {
      assertThat(HostPaths.zoneOfNetworkFile(name)).as(name).isEmpty();
      assertThat(HostPaths.containerOfVethNetworkFile(name)).as(name).isEmpty();
    }
  }

  @Test
  void theContainersOwnNetworkFileLivesInItsTree() {
    assertThat(HostPaths.host0Network("var/lib/machines/web"))
        .isEqualTo("var/lib/machines/web/etc/systemd/network/20-berth-host0.network");
  }
}
