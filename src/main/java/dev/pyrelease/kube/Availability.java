package dev.pyrelease.kube;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/** Whether a Deployment is fully available at its current generation. Pure. */
public final class Availability {
  private Availability() {}

  /**
   * True when every wanted replica is available and the Deployment controller has seen the current
   * spec (observedGeneration ≥ generation), so the count is not from an older spec.
   */
  public static boolean full(Deployment d) {
    if (d == null || d.getSpec() == null || d.getStatus() == null) {
      return false;
    }
    int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int available =
        d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    Long generation = d.getMetadata().getGeneration();
    Long observed = d.getStatus().getObservedGeneration();
    boolean current = generation == null || (observed != null && observed >= generation);
    return current && available >= wanted;
  }

  /** "a/b available" for messages. */
  public static String describe(Deployment d) {
    int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int available =
        d.getStatus() == null || d.getStatus().getAvailableReplicas() == null
            ? 0
            : d.getStatus().getAvailableReplicas();
    return available + "/" + wanted + " replicas available";
  }
}
