package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class TcpExposureTest {
  @Test
  void loopbackIsNoExposure() {
    assertThat(
            TcpExposure.warning(
                HttpSettings.tcpOnly(new InetSocketAddress("127.0.0.1", 9480), null)))
        .isEmpty();
    assertThat(TcpExposure.warning(HttpSettings.tcpOnly(new InetSocketAddress("::1", 9480), null)))
        .isEmpty();
  }

  @Test
  void aWildcardListenerNamesWhatItServesToTheNetwork() {
    assertThat(
            TcpExposure.warning(HttpSettings.tcpOnly(new InetSocketAddress("0.0.0.0", 9480), null)))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .startsWith("http.listen is not a loopback address: /metrics")
                    .contains("the webhooks", "plain HTTP", "0.0.0.0:9480")
                    .endsWith("changes over TCP are refused (no http.tokenFile)"));
  }

  @Test
  void withATokenTheWarningSaysItTravelsInClearText() {
    HttpSettings settings =
        new HttpSettings(
            new InetSocketAddress("10.0.0.5", 9480), null, null, null, true, new byte[] {1}, null);
    assertThat(TcpExposure.warning(settings))
        .hasValueSatisfying(
            warning -> assertThat(warning).contains("the status (http.tcpStatus)", "clear text"));
  }
}
