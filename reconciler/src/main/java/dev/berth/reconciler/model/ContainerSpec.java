package dev.berth.reconciler.model;

import java.util.List;
import java.util.Map;

/**
 * What a {@code Container} document asks for. Absent fields get their documented defaults here, so
 * that nothing downstream deals with nulls, except {@code network}: absent means the host's
 * network.
 */
public record ContainerSpec(
    Placement placement,
    RunState state,
    Boolean autoStart,
    Image image,
    Network network,
    List<BindMount> bindMounts,
    Boolean ephemeral,
    String privateUsers,
    List<String> capabilities,
    Resources resources,
    List<Credential> credentials,
    String timeoutStartSec,
    Activation activation,
    Map<String, Map<String, List<String>>> nspawn,
    List<String> dependsOn,
    Health health,
    Rollback rollback,
    RemovePolicy removePolicy) {

  public ContainerSpec {
    placement = placement == null ? Placement.NOWHERE : placement;
    state = state == null ? RunState.RUNNING : state;
    autoStart = autoStart == null || autoStart;
    bindMounts = bindMounts == null ? List.of() : List.copyOf(bindMounts);
    ephemeral = ephemeral != null && ephemeral;
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    resources = resources == null ? Resources.NONE : resources;
    credentials = credentials == null ? List.of() : List.copyOf(credentials);
    activation = activation == null ? Activation.DEFAULT : activation;
    nspawn = nspawn == null ? Map.of() : Map.copyOf(nspawn);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    rollback = rollback == null ? Rollback.DEFAULT : rollback;
    removePolicy = removePolicy == null ? RemovePolicy.RETAIN : removePolicy;
  }

  /** This spec with {@code replaced} as its credentials. */
  public ContainerSpec withCredentials(List<Credential> replaced) {
    return new ContainerSpec(
        placement,
        state,
        autoStart,
        image,
        network,
        bindMounts,
        ephemeral,
        privateUsers,
        capabilities,
        resources,
        replaced,
        timeoutStartSec,
        activation,
        nspawn,
        dependsOn,
        health,
        rollback,
        removePolicy);
  }

  /** Whether a failed activation goes back to the last good generation by itself. */
  public boolean rollsBack() {
    return rollback.enabledFor(health);
  }

  public boolean hostNetwork() {
    return network == null;
  }
}
