package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.Hook;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RunSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.Map;

/**
 * A pre-rollout hook Job, {@code <name>-r<N>-<hook>}: the hook's command in the revision's image,
 * with web's env and resources and the pod template (pull secrets included), run once (no retries:
 * a migration that failed half-way wants a human, not a loop).
 */
public final class HookJobBuilder {
  static final int TTL_SECONDS = 7 * 24 * 3600;

  private HookJobBuilder() {}

  public static Job desired(PythonRelease release, int revision, String image, Hook hook) {
    RunSpec run = release.getSpec().getRun();
    Map<String, String> labels = Labels.revision(release, revision);
    labels.put(Labels.HOOK, hook.getName());
    var container =
        PodTemplate.container(
                release, "hook", image, hook.getCommand(), run.getEnv(), run.getResources())
            .build();
    return new JobBuilder()
        .withNewMetadata()
        .withName(Labels.hookJobName(release.getMetadata().getName(), revision, hook.getName()))
        .withNamespace(release.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(Labels.owner(release))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withTtlSecondsAfterFinished(TTL_SECONDS)
        .withNewTemplate()
        .withMetadata(PodTemplate.metadata(release, labels))
        .withSpec(PodTemplate.spec(release, container, "Never", labels))
        .endTemplate()
        .endSpec()
        .build();
  }
}
