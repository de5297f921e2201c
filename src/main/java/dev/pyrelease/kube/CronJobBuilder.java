package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.ScheduleSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.Map;

/**
 * The one CronJob of a schedule, {@code <name>-<schedule>}, running the serving revision's image:
 * its image and revision label move with the Service, so a schedule never runs in two revisions.
 * Pure.
 */
public final class CronJobBuilder {
  static final int SUCCESSFUL_HISTORY = 3;
  static final int FAILED_HISTORY = 3;

  private CronJobBuilder() {}

  public static CronJob desired(
      PythonRelease release, ScheduleSpec schedule, int revision, String image) {
    String owner = release.getMetadata().getName();
    Map<String, String> labels = Labels.revision(release, revision);
    labels.put(Labels.SCHEDULE, schedule.getName());
    var container =
        PodTemplate.container(
                release,
                "schedule",
                image,
                schedule.getCommand(),
                schedule.getEnv(),
                schedule.getResources())
            .build();
    CronJob c =
        new io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder()
            .withNewMetadata()
            .withName(Labels.cronJobName(owner, schedule.getName()))
            .withNamespace(release.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(Labels.owner(release))
            .endMetadata()
            .withNewSpec()
            .withSchedule(schedule.getSchedule())
            .withTimeZone(schedule.getTimeZone())
            .withConcurrencyPolicy(
                schedule.getConcurrencyPolicy() == null
                    ? "Forbid"
                    : schedule.getConcurrencyPolicy())
            .withStartingDeadlineSeconds(schedule.getStartingDeadlineSeconds())
            .withSuspend(Boolean.TRUE.equals(schedule.getSuspend()))
            .withSuccessfulJobsHistoryLimit(SUCCESSFUL_HISTORY)
            .withFailedJobsHistoryLimit(FAILED_HISTORY)
            .withNewJobTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(schedule.getBackoffLimit() == null ? 0 : schedule.getBackoffLimit())
            .withActiveDeadlineSeconds(schedule.getActiveDeadlineSeconds())
            .withNewTemplate()
            .withMetadata(PodTemplate.metadata(release, labels))
            .withSpec(PodTemplate.spec(release, container, "Never", labels))
            .endTemplate()
            .endSpec()
            .endJobTemplate()
            .endSpec()
            .build();
    return SpecHash.annotate(c, c.getSpec());
  }
}
