package dev.berth.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.fleet.CannedHttp.Answer;
import dev.berth.agent.fleet.PrometheusApi.Sample;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusApiTest {
  private static final URI URL = URI.create("https://berth:s3cret@prometheus.test:9090/prom/");

  private static List<Sample> query(Answer answer) {
    return new PrometheusApi(URL, Duration.ofMillis(300), CannedHttp.answering(answer)).query("up");
  }

  private static String failure(Answer answer) {
    try {
      query(answer);
    } catch (FleetUnavailable e) {
      assertThat(e.getMessage()).doesNotContain("s3cret", "berth:", "\n");
      assertThat(e.getStackTrace()).isEmpty();
      return e.getMessage();
    }
    throw new AssertionError("the query did not fail");
  }

  @Test
  void postsTheQueryUnderThePathPrefixWithTheUrlsCredentialsAsBasicAuth() {
    CannedHttp http =
        CannedHttp.answering(
            Answer.json(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));

    new PrometheusApi(URL, Duration.ofSeconds(1), http).query("berth_host_info or up == 1");

    assertThat(http.requests).hasSize(1);
    assertThat(http.requests.get(0).method()).isEqualTo("POST");
    assertThat(http.requests.get(0).uri())
        .isEqualTo(URI.create("https://prometheus.test:9090/prom/api/v1/query"));
    assertThat(http.requests.get(0).headers().firstValue("Authorization"))
        .contains(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("berth:s3cret".getBytes(StandardCharsets.UTF_8)));
    assertThat(http.bodies.get(0)).startsWith("query=");
    assertThat(URLDecoder.decode(http.bodies.get(0).substring(6), StandardCharsets.UTF_8))
        .isEqualTo("berth_host_info or up == 1");
  }

  @Test
  void readsTheSamplesOfAnInstantVector() {
    List<Sample> samples =
        query(
            Answer.json(
                200,
                """
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"__name__":"up","job":"berth","instance":"h1:9480"},"value":[1714564800.123,"1"]},
                  {"metric":{"job":"berth","instance":"h2:9480"},"value":[1714564800.123,"1714564000.5"]},
                  {"metric":{"instance":"h3:9480"},"value":[1714564800.123,"NaN"]},
                  {"metric":{},"value":[1714564800,"+Inf"]}
                ]}}
                """));

    assertThat(samples)
        .extracting(Sample::value)
        .containsExactly(1.0, 1714564000.5, Double.NaN, Double.POSITIVE_INFINITY);
    assertThat(samples.get(0).labels())
        .isEqualTo(Map.of("__name__", "up", "job", "berth", "instance", "h1:9480"));
  }

  @Test
  void anErrorAnswerIsUnavailableWithPrometheusOwnReason() {
    assertThat(
            failure(
                Answer.json(
                    400,
                    "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:1: parse error:\\n"
                        + " unexpected\"}")))
        .isEqualTo(
            "Prometheus at https://prometheus.test:9090/prom/ answered HTTP 400: bad_data: 1:1:"
                + " parse error: unexpected");
    assertThat(failure(Answer.json(503, "<html>Service Unavailable</html>")))
        .isEqualTo("Prometheus at https://prometheus.test:9090/prom/ answered HTTP 503");
    assertThat(
            failure(
                Answer.json(
                    200,
                    "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}")))
        .endsWith("answered status error: timeout: query timed out");
  }

  @Test
  void whatIsNotAnInstantVectorIsUnavailable() {
    assertThat(failure(Answer.json(200, "{\"status\":\"success\",\"data\":")))
        .startsWith("Prometheus at https://prometheus.test:9090/prom/ answered malformed JSON: ");
    assertThat(failure(Answer.json(200, "[1, 2]"))).endsWith("answered not a JSON object");
    assertThat(failure(Answer.json(200, ""))).endsWith("answered not a JSON object");
    assertThat(
            failure(
                Answer.json(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")))
        .endsWith("answered no instant vector");
    assertThat(
            failure(
                Answer.json(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{}}]}}")))
        .endsWith("answered malformed series: a series without metric labels or value");
    assertThat(
            failure(
                Answer.json(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{},\"value\":[1,\"one\"]}]}}")))
        .endsWith("answered malformed series: sample value one");
    assertThat(
            failure(
                Answer.json(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"job\":7},\"value\":[1,\"1\"]}]}}")))
        .endsWith("answered malformed series: label job is not a string");
  }

  @Test
  void anAnswerOverTheLimitIsUnavailable() {
    byte[] huge = new byte[PrometheusApi.MAX_RESPONSE_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThat(failure(new Answer.Respond(200, huge)))
        .isEqualTo("Prometheus at https://prometheus.test:9090/prom/ answered more than 4 MiB");
  }

  @Test
  void noAnswerInTimeOrNoConnectionIsUnavailable() {
    assertThat(failure(new Answer.Hang()))
        .isEqualTo("Prometheus at https://prometheus.test:9090/prom/ did not answer within 300 ms");
    assertThat(failure(new Answer.Fail(new HttpTimeoutException("request timed out"))))
        .endsWith("did not answer within 300 ms");
    assertThat(failure(new Answer.Fail(new ConnectException())))
        .endsWith("cannot be reached (connection refused or no route)");
    assertThat(failure(new Answer.Fail(new java.io.IOException("connection reset\nby peer"))))
        .endsWith("cannot be read: connection reset by peer");
  }

  @Test
  void refusesWhatIsNoHttpUrlWithoutShowingItsCredentials() {
    assertThatThrownBy(
            () ->
                new PrometheusApi(
                    URI.create("ftp://u:hunter2@prometheus.test/"),
                    Duration.ofSeconds(1),
                    CannedHttp.answering(new Answer.Hang())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "not an http:// or https:// URL of a Prometheus server: ftp://prometheus.test/");
    assertThatThrownBy(
            () ->
                new PrometheusApi(
                    URI.create("http://prometheus.test/?x=1"),
                    Duration.ofSeconds(1),
                    CannedHttp.answering(new Answer.Hang())))
        .hasMessageContaining("no query or fragment");
  }
}
