package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.DisruptionSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.http.Digests;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;

/**
 * The PodDisruptionBudget of one process, {@code <name>-<process>}, selecting the serving
 * revision's pods of it (moved at the switch): a standby revision may be drained freely. Pure.
 */
public final class DisruptionBudgetBuilder {
  private DisruptionBudgetBuilder() {}

  public static PodDisruptionBudget desired(
      PythonRelease release, Workload process, int revision) {
    DisruptionSpec d = process.spec().getDisruption();
    String name = release.getMetadata().getName();
    var labels = Labels.release(release);
    labels.put(Labels.PROCESS, process.name());
    labels.put(Labels.REVISION, Integer.toString(revision));
    PodDisruptionBudget p =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName(Labels.processObjectName(name, process.name()))
            .withNamespace(release.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(Labels.owner(release))
            .endMetadata()
            .withNewSpec()
            .withMinAvailable(d.getMinAvailable())
            .withMaxUnavailable(d.getMaxUnavailable())
            .withNewSelector()
            .withMatchLabels(Labels.selector(name, revision, process.name()))
            .endSelector()
            .endSpec()
            .build();
    p.getMetadata().setAnnotations(new LinkedHashMap<>());
    p.getMetadata()
        .getAnnotations()
        .put(
            Labels.SPEC_HASH,
            Digests.sha256(Serialization.asJson(p.getSpec())).substring(0, 32));
    return p;
  }
}
