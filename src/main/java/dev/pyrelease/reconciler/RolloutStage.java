package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.config.RolloutDefaults;
import dev.pyrelease.kube.Availability;
import dev.pyrelease.kube.DeploymentBuilder;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.kube.RolloutTiming;
import dev.pyrelease.kube.ServiceBuilder;
import dev.pyrelease.metrics.ReleaseMetrics;
import dev.pyrelease.status.Cond;
import dev.pyrelease.status.ConditionTypes;
import dev.pyrelease.status.Outcome;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Stage 5: blue/green. Scales the target revision's Deployment up, and only when it is fully
 * available points the Service at it — in the same reconcile, so a warm rollback is one Service
 * update. Past the progress deadline traffic stays and Degraded says why.
 */
final class RolloutStage {
  private final Cluster cluster;
  private final Events events;
  private final RolloutDefaults config;
  private final ReleaseMetrics metrics;

  RolloutStage(Cluster cluster, Events events, RolloutDefaults config, ReleaseMetrics metrics) {
    this.cluster = cluster;
    this.events = events;
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * @return when to look again (progress deadline), or null
   */
  Duration advance(
      PythonRelease release, Observed obs, int target, boolean rollback, Outcome out, Instant now) {
    RevisionStatus rec = out.revisions.get(target);
    int replicas =
        release.getSpec().getRun().getReplicas() == null
            ? 1
            : release.getSpec().getRun().getReplicas();
    Deployment desired = DeploymentBuilder.desired(release, target, rec.getImage(), replicas);
    Optional<Deployment> current = obs.deployment(target);
    Deployment live;
    if (current.isEmpty()) {
      desired.getMetadata().getAnnotations().put(Labels.ROLLOUT_STARTED, now.toString());
      cluster.create(desired);
      live = desired;
    } else {
      live = converge(current.get(), desired, replicas, now);
    }
    out.deploymentReplicas.put(target, replicas);

    Integer previous = out.activeRevision;
    if (Objects.equals(previous, target)) {
      ensureService(release, obs, target);
      serving(out, target, rec);
      return null;
    }
    if (Availability.full(live)) {
      switchTraffic(release, obs, target);
      metrics.switched(
          release.getMetadata().getNamespace(), release.getMetadata().getName(), rollback);
      out.activeRevision = target;
      String from = previous == null ? "" : " from revision " + previous;
      events.normal(
          release,
          Events.TRAFFIC_SWITCHED,
          "traffic moved" + from + " to revision " + target + " (" + rec.getImage() + ")");
      if (rollback) {
        events.normal(release, Events.ROLLBACK, "rolled back to revision " + target);
      }
      serving(out, target, rec);
      return null;
    }

    out.phase = Phase.RollingOut;
    Instant started = RolloutTiming.instant(live, Labels.ROLLOUT_STARTED);
    Duration left =
        RolloutTiming.remaining(
            started == null ? now : started, RolloutTiming.progressDeadline(release, config), now);
    String stays =
        previous == null ? "no revision serves yet" : "traffic stays on revision " + previous;
    if (!left.isNegative() && !left.isZero()) {
      out.set(ConditionTypes.DEGRADED, Cond.isFalse("AsExpected", ""));
      out.set(
          ConditionTypes.READY,
          previous == null
              ? Cond.isFalse("RollingOut", "revision " + target + " is rolling out")
              : Cond.isTrue(
                  "Serving",
                  "revision " + previous + " serves; revision " + target + " is rolling out"));
      return left;
    }
    String why =
        "revision "
            + target
            + " did not become available within "
            + RolloutTiming.progressDeadline(release, config).toSeconds()
            + "s ("
            + Availability.describe(live)
            + "); "
            + stays;
    out.set(ConditionTypes.DEGRADED, Cond.isTrue("ProgressDeadlineExceeded", why));
    out.set(
        ConditionTypes.READY,
        previous == null
            ? Cond.isFalse("ProgressDeadlineExceeded", why)
            : Cond.isTrue(
                "Serving",
                "revision " + previous + " serves; revision " + target + " is not available"));
    return null;
  }

  /** Brings an existing Deployment to the desired spec and replicas, writing only on a change. */
  private Deployment converge(Deployment cur, Deployment desired, int replicas, Instant now) {
    Deployment copy = Serialization.clone(cur);
    Map<String, String> ann =
        copy.getMetadata().getAnnotations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(copy.getMetadata().getAnnotations());
    boolean specChanged = false;
    String hash = desired.getMetadata().getAnnotations().get(Labels.SPEC_HASH);
    if (!hash.equals(ann.get(Labels.SPEC_HASH))) {
      copy.setSpec(desired.getSpec());
      ann.put(Labels.SPEC_HASH, hash);
      specChanged = true;
    }
    Integer had = cur.getSpec().getReplicas();
    if (!Objects.equals(copy.getSpec().getReplicas(), replicas) || specChanged) {
      if (had == null || had == 0) {
        ann.put(Labels.ROLLOUT_STARTED, now.toString()); // cold start: the deadline counts from now
      }
      specChanged |= !Objects.equals(had, replicas);
      copy.getSpec().setReplicas(replicas);
    }
    boolean metaChanged = ann.remove(Labels.STANDBY_SINCE) != null;
    if (!ann.containsKey(Labels.ROLLOUT_STARTED)) {
      ann.put(Labels.ROLLOUT_STARTED, now.toString());
      metaChanged = true;
    }
    if (!specChanged && !metaChanged) {
      return cur;
    }
    copy.getMetadata().setAnnotations(ann);
    Deployment updated = cluster.update(copy);
    // a metadata-only change leaves availability as it was; a spec change must be observed first
    return specChanged ? updated : cur;
  }

  private void ensureService(PythonRelease release, Observed obs, int active) {
    Service desired = ServiceBuilder.desired(release, active);
    if (obs.service() == null
        || ServiceBuilder.selectedRevision(obs.service()) != active
        || !samePorts(obs.service(), desired)) {
      switchTraffic(release, obs, active);
    }
  }

  private static boolean samePorts(Service live, Service desired) {
    var a = live.getSpec().getPorts();
    var b = desired.getSpec().getPorts();
    return a != null
        && a.size() == b.size()
        && Objects.equals(a.get(0).getPort(), b.get(0).getPort())
        && Objects.equals(a.get(0).getTargetPort(), b.get(0).getTargetPort());
  }

  private void switchTraffic(PythonRelease release, Observed obs, int target) {
    Service desired = ServiceBuilder.desired(release, target);
    if (obs.service() == null) {
      if (!cluster.create(desired)) {
        throw new IllegalStateException(
            "Service " + desired.getMetadata().getName() + " appeared; retrying");
      }
      return;
    }
    Service copy = Serialization.clone(obs.service());
    copy.getSpec().setSelector(desired.getSpec().getSelector());
    copy.getSpec().setPorts(desired.getSpec().getPorts());
    cluster.update(copy);
  }

  private static void serving(Outcome out, int target, RevisionStatus rec) {
    out.phase = Phase.Ready;
    out.set(
        ConditionTypes.READY,
        Cond.isTrue("Serving", "revision " + target + " serves " + rec.getImage()));
    out.set(ConditionTypes.DEGRADED, Cond.isFalse("AsExpected", ""));
  }
}
