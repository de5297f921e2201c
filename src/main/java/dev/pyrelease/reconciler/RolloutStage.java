package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.AutoscalingSpec;
import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.config.RolloutDefaults;
import dev.pyrelease.kube.AutoscalerBuilder;
import dev.pyrelease.kube.Availability;
import dev.pyrelease.kube.DeploymentBuilder;
import dev.pyrelease.kube.Drift;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.kube.PodTrouble;
import dev.pyrelease.kube.RolloutTiming;
import dev.pyrelease.kube.ServiceBuilder;
import dev.pyrelease.kube.Workload;
import dev.pyrelease.metrics.ReleaseMetrics;
import dev.pyrelease.status.Cond;
import dev.pyrelease.status.ConditionTypes;
import dev.pyrelease.status.Outcome;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Stage 5: blue/green. Scales every process' Deployment of the target revision up, and only when
 * web is fully available (and, for a revision that has never served, every other process too)
 * points the Service at it — in the same reconcile, so a warm rollback is one Service update. The
 * previous revision's other processes stop in the same reconcile ({@link RetireStage}), and the
 * schedules and autoscalers follow ({@link ServingStage}). Past the progress deadline traffic stays
 * and Degraded says why.
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
    Integer previous = out.activeRevision;
    Map<String, Deployment> live = new LinkedHashMap<>();
    for (Workload p : Workload.of(release)) {
      int replicas = replicas(p, obs, target, previous);
      Deployment desired = DeploymentBuilder.desired(release, p, target, rec.getImage(), replicas);
      Optional<Deployment> current = obs.deployment(target, p.name());
      if (current.isEmpty()) {
        desired.getMetadata().getAnnotations().put(Labels.ROLLOUT_STARTED, now.toString());
        cluster.create(desired);
        live.put(p.name(), desired);
      } else {
        live.put(p.name(), converge(release, current.get(), desired, replicas, now));
      }
      if (p.web()) {
        out.deploymentReplicas.put(target, replicas);
      }
    }
    Deployment web = live.get(Labels.WEB);

    if (Objects.equals(previous, target)) {
      ensureService(release, obs, target, web);
      markServed(web, rec, now);
      serving(out, target, rec);
      return null;
    }
    // a revision that has served switches back on web alone (its other processes start in the
    // same reconcile); a new one waits for every process, so a worker that cannot start keeps
    // traffic and the old workers where they are
    boolean ready =
        Availability.full(web)
            && (served(web, rec) || live.values().stream().allMatch(Availability::full));
    if (ready) {
      switchTraffic(release, obs, target, web);
      metrics.switched(
          release.getMetadata().getNamespace(), release.getMetadata().getName(), rollback);
      out.activeRevision = target;
      markServed(web, rec, now);
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
    Instant started = RolloutTiming.instant(web, Labels.ROLLOUT_STARTED);
    Duration left =
        RolloutTiming.remaining(
            started == null ? now : started, RolloutTiming.progressDeadline(release, config), now);
    String stays =
        previous == null ? "no revision serves yet" : "traffic stays on revision " + previous;
    Optional<String> stuck = PodTrouble.of(podsOf(obs, target));
    if (!left.isNegative() && !left.isZero()) {
      out.set(
          ConditionTypes.DEGRADED,
          stuck
              .map(
                  why ->
                      Cond.isTrue(
                          "PodsStuck",
                          "revision " + target + " cannot start: " + why + "; " + stays))
              .orElse(Cond.isFalse("AsExpected", "")));
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
            + describe(live)
            + stuck.map(w -> "; " + w).orElse("")
            + "); "
            + stays;
    out.phase = Phase.Failed; // terminal until the spec changes or the revision comes up after all
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

  /**
   * The replicas a process' Deployment of the target should have. An autoscaled process' count is
   * the autoscaler's once it serves (never written back); a new revision starts at what the
   * autoscaler holds for the serving one, so the switch drops no capacity.
   */
  private static int replicas(Workload p, Observed obs, int target, Integer previous) {
    AutoscalingSpec a = p.spec().getAutoscaling();
    if (a == null) {
      return p.replicas();
    }
    Optional<Deployment> own = obs.deployment(target, p.name());
    Integer ownReplicas = own.map(d -> d.getSpec().getReplicas()).orElse(null);
    if (ownReplicas != null && (Objects.equals(target, previous) || ownReplicas > 0)) {
      return ownReplicas; // the autoscaler's count, or a warm standby's
    }
    Integer held = null;
    Optional<HorizontalPodAutoscaler> hpa = obs.autoscaler(p.name());
    if (hpa.isPresent() && hpa.get().getStatus() != null) {
      held = hpa.get().getStatus().getDesiredReplicas();
      if (held == null || held == 0) {
        held = hpa.get().getStatus().getCurrentReplicas();
      }
    }
    if ((held == null || held == 0) && previous != null) {
      held = obs.deployment(previous, p.name()).map(d -> d.getSpec().getReplicas()).orElse(null);
    }
    return AutoscalerBuilder.startingReplicas(
        a, held == null || held == 0 ? null : held, p.replicas());
  }

  /**
   * Whether the revision has taken traffic before. Kept on its web Deployment (written once, after
   * the switch) as well as in status: status is rebuilt from the cache on every reconcile, and a
   * stale cache must not turn a warm rollback into one that waits for every worker again.
   */
  private static boolean served(Deployment web, RevisionStatus rec) {
    return rec.getServedAt() != null || Labels.annotation(web, Labels.SERVED_AT) != null;
  }

  /** Records the first switch to the revision on its web Deployment and in status. */
  private void markServed(Deployment web, RevisionStatus rec, Instant now) {
    String at = Labels.annotation(web, Labels.SERVED_AT);
    if (rec.getServedAt() == null) {
      rec.setServedAt(at != null ? at : now.toString());
    }
    if (at == null && web.getMetadata().getResourceVersion() != null) {
      Deployment copy = Serialization.clone(web);
      Map<String, String> ann =
          copy.getMetadata().getAnnotations() == null
              ? new LinkedHashMap<>()
              : new LinkedHashMap<>(copy.getMetadata().getAnnotations());
      ann.put(Labels.SERVED_AT, rec.getServedAt());
      copy.getMetadata().setAnnotations(ann);
      cluster.update(copy);
    }
  }

  /** The pods of a revision's Deployments (every process). */
  private static java.util.List<io.fabric8.kubernetes.api.model.Pod> podsOf(
      Observed obs, int revision) {
    return obs.pods().stream()
        .filter(p -> Labels.revisionOf(p) == revision)
        .filter(p -> p.getMetadata().getLabels().containsKey(Labels.PROCESS))
        .toList();
  }

  private static String describe(Map<String, Deployment> live) {
    if (live.size() == 1) {
      return Availability.describe(live.values().iterator().next());
    }
    StringBuilder b = new StringBuilder();
    live.forEach(
        (name, d) -> {
          if (b.length() > 0) {
            b.append(", ");
          }
          b.append(name).append(": ").append(Availability.describe(d));
        });
    return b.toString();
  }

  /** Brings an existing Deployment to the desired spec and replicas, writing only on a change. */
  private Deployment converge(
      PythonRelease release, Deployment cur, Deployment desired, int replicas, Instant now) {
    Deployment copy = Serialization.clone(cur);
    Map<String, String> ann =
        copy.getMetadata().getAnnotations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(copy.getMetadata().getAnnotations());
    boolean specChanged = false;
    String hash = desired.getMetadata().getAnnotations().get(Labels.SPEC_HASH);
    // the hash says whether our desired spec changed; a hand edit of the live one (kubectl set
    // image) leaves the hash alone and shows only against the live template
    List<String> drift =
        hash.equals(ann.get(Labels.SPEC_HASH)) && !Drift.repairedRecently(cur, now)
            ? Drift.of(desired.getSpec().getTemplate(), cur.getSpec().getTemplate()).stream()
                .map(path -> "spec.template." + path)
                .toList()
            : List.of();
    if (!drift.isEmpty()) {
      ann.put(Labels.DRIFT_REPAIRED, now.toString());
      events.normal(release, Events.DRIFT_REPAIRED, Drift.repaired(cur, drift));
    }
    if (!hash.equals(ann.get(Labels.SPEC_HASH)) || !drift.isEmpty()) {
      copy.setSpec(Serialization.clone(desired.getSpec()));
      // a Deployment's selector cannot change: one made before processes keeps its own (the new
      // template's labels are a superset of it)
      copy.getSpec().setSelector(cur.getSpec().getSelector());
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

  private void ensureService(PythonRelease release, Observed obs, int active, Deployment web) {
    Service desired = service(release, obs.service(), active, web);
    if (obs.service() == null
        || !Objects.equals(obs.service().getSpec().getSelector(), desired.getSpec().getSelector())
        || !samePorts(obs.service(), desired)) {
      switchTraffic(release, obs, active, web);
    }
  }

  /**
   * The Service for the active revision. Its selector names the web process, except while the
   * serving pods were made before processes existed and do not carry the label yet: then it selects
   * the revision as before, until the Deployment has rolled its pods with the label.
   */
  private static Service service(PythonRelease release, Service live, int active, Deployment web) {
    Service desired = ServiceBuilder.desired(release, active);
    boolean liveHasProcess =
        live != null
            && live.getSpec().getSelector() != null
            && live.getSpec().getSelector().containsKey(Labels.PROCESS);
    // once the Service selects by process it never goes back (a later template change of the
    // serving Deployment is a rolling update of labelled pods)
    if (!liveHasProcess && web != null && !(labelled(web) && Availability.full(web))) {
      desired.getSpec().getSelector().remove(Labels.PROCESS);
    }
    return desired;
  }

  private static boolean labelled(Deployment d) {
    var labels = d.getSpec().getTemplate().getMetadata().getLabels();
    return labels != null && labels.containsKey(Labels.PROCESS);
  }

  private static boolean samePorts(Service live, Service desired) {
    var a = live.getSpec().getPorts();
    var b = desired.getSpec().getPorts();
    return a != null
        && a.size() == b.size()
        && Objects.equals(a.get(0).getPort(), b.get(0).getPort())
        && Objects.equals(a.get(0).getTargetPort(), b.get(0).getTargetPort());
  }

  private void switchTraffic(PythonRelease release, Observed obs, int target, Deployment web) {
    Service desired = service(release, obs.service(), target, web);
    if (obs.service() == null) {
      if (!cluster.create(desired)) {
        Service there =
            cluster
                .client()
                .services()
                .inNamespace(desired.getMetadata().getNamespace())
                .withName(desired.getMetadata().getName())
                .get();
        if (there != null && !ownedBy(there, release)) {
          throw new ForeignObjectException(
              "Service "
                  + desired.getMetadata().getNamespace()
                  + "/"
                  + desired.getMetadata().getName()
                  + " exists and is not this release's; the release's Service takes its name"
                  + " \u2014 delete or rename that Service, or rename the release");
        }
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

  private static boolean ownedBy(Service s, PythonRelease release) {
    var refs = s.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream().anyMatch(r -> Objects.equals(r.getUid(), release.getMetadata().getUid()));
  }

  private static void serving(Outcome out, int target, RevisionStatus rec) {
    out.phase = Phase.Ready;
    out.set(
        ConditionTypes.READY,
        Cond.isTrue("Serving", "revision " + target + " serves " + rec.getImage()));
    out.set(ConditionTypes.DEGRADED, Cond.isFalse("AsExpected", ""));
  }
}
