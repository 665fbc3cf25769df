package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who may do what: the decision from the caller alone, for every operation. */
class ApiAccessTest {
  private static final ApiToken TOKEN = new ApiToken("t0ken".getBytes(StandardCharsets.UTF_8));
  private static final Caller.Peer ROOT = new Caller.Peer(0, "root", Set.of("root"));
  private static final Caller.Peer NOBODY = new Caller.Peer(65534, "nobody", Set.of("nogroup"));
  private static final Caller.Peer ALICE = new Caller.Peer(1000, "alice", Set.of("alice", "berth"));
  private static final Caller.Peer READER = new Caller.Peer(1001, "bob", Set.of("bob", "ops"));

  private final ApiAccess groups = new ApiAccess("berth", "ops", false, null);
  private final ApiAccess rootOnly = new ApiAccess(null, null, false, null);

  @ParameterizedTest
  @EnumSource(Operation.class)
  void rootMayDoEverythingOnTheSocket(Operation operation) {
    assertThat(rootOnly.decide(ROOT, operation).allowed()).isTrue();
    assertThat(groups.decide(ROOT, operation).allowed()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Operation.class)
  void anAdminGroupMemberMayDoEverything(Operation operation) {
    assertThat(groups.decide(ALICE, operation).allowed()).isTrue();
    assertThat(rootOnly.decide(ALICE, operation).allowed()).isFalse();
  }

  @Test
  void aReadGroupMemberMayReadTheStatusAndChangeNothing() {
    assertThat(groups.decide(READER, Operation.STATUS).allowed()).isTrue();
    for (Operation change : new Operation[] {Operation.SUSPEND, Operation.RESUME}) {
      assertThat(groups.decide(READER, change).allowed()).as(change.name()).isFalse();
    }
    assertThat(groups.decide(READER, Operation.RECONCILE).reason())
        .isEqualTo(
            "uid 1001 (bob) may not trigger a pass of the agent: only root or members of group"
                + " berth");
  }

  @Test
  void othersAreRefusedWithWhoMay() {
    assertThat(groups.decide(NOBODY, Operation.SUSPEND))
        .isEqualTo(
            ApiAccess.Decision.refuse(
                "uid 65534 (nobody) may not suspend the agent: only root or members of group"
                    + " berth"));
    assertThat(groups.decide(NOBODY, Operation.STATUS).reason())
        .isEqualTo(
            "uid 65534 (nobody) may not read the status of the agent: only root or members of"
                + " group berth or ops");
    assertThat(rootOnly.decide(NOBODY, Operation.RESUME).reason())
        .isEqualTo(
            "uid 65534 (nobody) may not resume the agent: only root (no http.adminGroup is set)");
  }

  @Test
  void aPeerWhoseUidIsUnknownIsNoRoot() {
    Caller.Peer unknown = new Caller.Peer(-1, "root", Set.of());
    assertThat(rootOnly.decide(unknown, Operation.SUSPEND).reason())
        .startsWith("uid ? (root) may not suspend the agent");
  }

  @ParameterizedTest
  @EnumSource(
      value = Operation.class,
      names = {"SUSPEND", "RESUME", "RECONCILE"})
  void overTcpChangesNeedTheToken(Operation operation) {
    ApiAccess withToken = new ApiAccess(null, null, false, TOKEN);
    assertThat(withToken.decide(new Caller.Remote("t0ken"), operation).allowed()).isTrue();
    assertThat(withToken.decide(new Caller.Remote("t0ken "), operation).allowed()).isFalse();
    assertThat(withToken.decide(new Caller.Remote("wrong"), operation).reason())
        .startsWith("changes over TCP need Authorization: Bearer");
    assertThat(withToken.decide(new Caller.Remote(null), operation).allowed()).isFalse();
    assertThat(rootOnly.decide(new Caller.Remote("t0ken"), operation).reason())
        .startsWith("changes over TCP are refused: run the berth CLI on the host");
  }

  @Test
  void overTcpTheStatusIsServedOnlyWhenConfiguredOrWithTheToken() {
    assertThat(rootOnly.decide(new Caller.Remote(null), Operation.STATUS).reason())
        .startsWith("the status is not served over TCP");
    assertThat(
            new ApiAccess(null, null, true, null)
                .decide(new Caller.Remote(null), Operation.STATUS)
                .allowed())
        .isTrue();
    assertThat(
            new ApiAccess(null, null, false, TOKEN)
                .decide(new Caller.Remote("t0ken"), Operation.STATUS)
                .allowed())
        .isTrue();
  }

  @Test
  void tcpStatusOpensNoChange() {
    ApiAccess open = new ApiAccess(null, null, true, null);
    assertThat(open.decide(new Caller.Remote(null), Operation.SUSPEND).allowed()).isFalse();
  }
}
