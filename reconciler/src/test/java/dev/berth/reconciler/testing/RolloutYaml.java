package dev.berth.reconciler.testing;

/**
 * A valid Rollout manifest with every field, at known lines, that a test changes one fragment of.
 */
public final class RolloutYaml {
  /**
   * Line 7 is the first wave, 8 the second, 11 the third; 13 the gate, 14 applyJitter, 16 the
   * window, 17 halt, 19 the promotion.
   */
  public static final String FLEET =
      """
      apiVersion: berth.dev/v1alpha1
      kind: Rollout
      metadata:
        name: fleet
      spec:
        waves:
          - {name: canary, selector: {matchLabels: {wave: canary}}}
          - name: early
            selector: {matchLabels: {wave: early}}
            after: {wave: canary, soak: 10m}
          - name: rest
            after: {wave: early, soak: 30m}
        gate: {prometheus: {url: "http://prometheus.example:9090", timeout: 5s}}
        applyJitter: 2m
        windows:
          - {cron: "0 0 2 ? * SAT", duration: 4h, timeZone: Europe/Berlin, actions: [restart, rebuild, remove]}
        halt: false
        promote:
          - {wave: early, until: "2026-12-02T18:00:00Z"}
      """;

  /** The least a Rollout needs: one wave. */
  public static final String MINIMAL =
      """
      apiVersion: berth.dev/v1alpha1
      kind: Rollout
      metadata:
        name: fleet
      spec:
        waves:
          - name: all
      """;

  private RolloutYaml() {}

  /** {@link #FLEET} with {@code fragment} replaced; the fragment must be there. */
  public static String fleetWith(String fragment, String replacement) {
    if (!FLEET.contains(fragment)) {
      throw new IllegalArgumentException("not in the fleet rollout: " + fragment);
    }
    return FLEET.replace(fragment, replacement);
  }
}
