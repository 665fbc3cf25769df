package dev.berth.reconciler.apply;

import static dev.berth.reconciler.testing.ContainerYaml.HOST;
import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.pass.HeldActions;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.pass.SkipReason;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pass outside a maintenance window on an in-memory host: a held container keeps its files and
 * its unit as they are, the others change.
 */
class MaintenanceWindowPassTest {
  private static final Instant OPENS = Instant.parse("2026-12-05T02:00:00Z");
  private static final PassPolicy RESTARTS_HELD =
      PassPolicy.APPLY_ALL.withHeld(new HeldActions(Map.of(ActionClass.RESTART, OPENS)));

  private final FakeHost host = new FakeHost();

  private ApplyReport apply(PassPolicy policy, Object... documents) throws IOException {
    LoadResult loaded = ContainerYaml.load(documents);
    var containers = loaded.manifests().containersOn(HOST);
    var rendering =
        new HostRenderer().render(containers, loaded.manifests().zonesOn(HOST), SystemBuilds.NONE);
    host.calls.clear();
    return new HostPass(host.runtime(), host, host, host, 4)
        .apply(HostPass.Desired.of(HOST.name(), containers, rendering), policy, ApplyListener.NONE);
  }

  @Test
  void aHeldRestartWritesNothingAndTouchesNoUnitWhileALiveChangeOfAnotherGoesOn()
      throws IOException {
    apply(PassPolicy.APPLY_ALL, container("web"), container("cache"));
    Map<String, String> before = Map.copyOf(host.files);
    var inventoryBefore = host.inventory.get("web").orElseThrow();

    ApplyReport report =
        apply(
            RESTARTS_HELD,
            container("web").spec("bindMounts:", "  - hostPath: /srv"),
            container("cache").spec("resources:", "  memoryMax: 1G"));

    ContainerResult web =
        report.results().stream().filter(r -> r.name().equals("web")).findFirst().orElseThrow();
    assertThat(web.line())
        .isEqualTo(
            "restart web: skipped (outside its maintenance window until 2026-12-05T02:00:00Z:"
                + " changed Files.Bind)");
    assertThat(web.skip()).contains(SkipReason.OUTSIDE_WINDOW);
    assertThat(host.files.get("etc/systemd/nspawn/web.nspawn"))
        .isEqualTo(before.get("etc/systemd/nspawn/web.nspawn"));
    assertThat(host.calls).noneMatch(call -> call.contains("web"));
    assertThat(host.inventory.get("web")).contains(inventoryBefore);
    assertThat(host.calls).anyMatch(call -> call.contains("systemd-nspawn@cache.service"));

    ApplyReport opened =
        apply(
            PassPolicy.APPLY_ALL,
            container("web").spec("bindMounts:", "  - hostPath: /srv"),
            container("cache").spec("resources:", "  memoryMax: 1G"));
    assertThat(opened.results())
        .extracting(ContainerResult::line)
        .contains("restart web: converged (restarted)");
  }
}
