package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.DisruptionSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * The PodDisruptionBudget of one process, {@code <name>-<process>}, selecting the serving
 * revision's pods of it (moved at the switch): a standby revision may be drained freely. Pure.
 */
public final class DisruptionBudgetBuilder {
  private DisruptionBudgetBuilder() {}

  public static PodDisruptionBudget desired(PythonRelease release, Workload process, int revision) {
    DisruptionSpec d = process.spec().getDisruption();
    String name = release.getMetadata().getName();
    PodDisruptionBudget p =
        new PodDisruptionBudgetBuilder()
            .withMetadata(Labels.processObject(release, process.name(), revision))
            .withNewSpec()
            .withMinAvailable(d.getMinAvailable())
            .withMaxUnavailable(d.getMaxUnavailable())
            .withNewSelector()
            .withMatchLabels(Labels.selector(name, revision, process.name()))
            .endSelector()
            .endSpec()
            .build();
    return SpecHash.annotate(p, p.getSpec());
  }
}
