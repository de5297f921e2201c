package dev.pyrelease.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.ScheduleSpec;
import dev.pyrelease.kube.AutoscalerBuilder;
import dev.pyrelease.kube.CronJobBuilder;
import dev.pyrelease.kube.DisruptionBudgetBuilder;
import dev.pyrelease.kube.Drift;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.kube.Workload;
import dev.pyrelease.status.Outcome;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Stage 6: the objects that follow the serving revision rather than belong to one — each schedule's
 * CronJob (its image moves with the Service, so a schedule never runs in two revisions), each
 * autoscaled process' HorizontalPodAutoscaler (retargeted at the switch) and each
 * PodDisruptionBudget (moved to the serving pods). Runs in the same reconcile as the switch; writes
 * only what differs from the desired object (by spec hash); removes those the spec no longer has.
 * Nothing exists before a revision serves.
 */
final class ServingStage {
  private final Cluster cluster;
  private final Events events;

  ServingStage(Cluster cluster, Events events) {
    this.cluster = cluster;
    this.events = events;
  }

  void run(PythonRelease release, Observed obs, Outcome out, Instant now) {
    Integer active = out.activeRevision;
    if (active == null || out.revisions.get(active) == null) {
      return;
    }
    String image = out.revisions.get(active).getImage();
    Set<String> autoscaled = new HashSet<>();
    Set<String> budgeted = new HashSet<>();
    for (Workload p : Workload.of(release)) {
      if (p.spec().getAutoscaling() != null) {
        autoscaled.add(p.name());
        converge(
            release,
            now,
            obs.autoscaler(p.name()),
            AutoscalerBuilder.desired(release, p, active),
            (want, cur) -> want.setStatus(cur.getStatus()));
      }
      if (p.spec().getDisruption() != null) {
        budgeted.add(p.name());
        converge(
            release,
            now,
            obs.budget(p.name()),
            DisruptionBudgetBuilder.desired(release, p, active),
            (want, cur) -> want.setStatus(cur.getStatus()));
      }
    }
    Set<String> scheduled = new HashSet<>();
    List<ScheduleSpec> schedules =
        release.getSpec().getSchedules() == null ? List.of() : release.getSpec().getSchedules();
    for (ScheduleSpec s : schedules) {
      scheduled.add(s.getName());
      converge(
          release,
          now,
          obs.cronJob(s.getName()),
          CronJobBuilder.desired(release, s, active, image),
          (want, cur) -> want.setStatus(cur.getStatus()));
    }
    obs.autoscalers().stream()
        .filter(h -> !autoscaled.contains(Labels.processOf(h)))
        .forEach(cluster::delete);
    obs.budgets().stream()
        .filter(b -> !budgeted.contains(Labels.processOf(b)))
        .forEach(cluster::delete);
    obs.cronJobs().stream()
        .filter(c -> !scheduled.contains(label(c, Labels.SCHEDULE)))
        .forEach(cluster::delete);
  }

  /**
   * Creates the object, or replaces its spec, labels and hash when the hash differs (the cached
   * resourceVersion guards the update; status is the controller's and is kept).
   */
  private <T extends HasMetadata> void converge(
      PythonRelease release,
      Instant now,
      Optional<T> live,
      T desired,
      BiConsumer<T, T> keepStatus) {
    if (live.isEmpty()) {
      cluster.create(desired);
      return;
    }
    T cur = live.get();
    String want = Labels.annotation(desired, Labels.SPEC_HASH);
    boolean same =
        want.equals(Labels.annotation(cur, Labels.SPEC_HASH))
            && desired.getMetadata().getLabels().equals(cur.getMetadata().getLabels());
    List<String> drift =
        same && !Drift.repairedRecently(cur, now)
            ? Drift.of(spec(desired), spec(cur)).stream().map(p -> "spec." + p).toList()
            : List.of();
    if (same && drift.isEmpty()) {
      return;
    }
    if (!drift.isEmpty()) {
      desired.getMetadata().getAnnotations().put(Labels.DRIFT_REPAIRED, now.toString());
      events.normal(release, Events.DRIFT_REPAIRED, Drift.repaired(cur, drift));
    }
    desired.getMetadata().setResourceVersion(cur.getMetadata().getResourceVersion());
    keepStatus.accept(desired, cur);
    cluster.update(desired);
  }

  private static JsonNode spec(HasMetadata o) {
    return Serialization.jsonMapper().valueToTree(o).get("spec");
  }

  private static String label(HasMetadata o, String key) {
    var l = o.getMetadata().getLabels();
    return l == null ? null : l.get(key);
  }
}
