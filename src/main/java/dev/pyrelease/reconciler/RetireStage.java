package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.config.RolloutDefaults;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.kube.RolloutTiming;
import dev.pyrelease.kube.Workload;
import dev.pyrelease.status.Outcome;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Stage 7: revisions that no longer serve. Web keeps its replicas for standbySeconds (the start is
 * recorded as an annotation on its Deployment, never in spec), then scales to zero; the other
 * processes drop to their standbyReplicas (default 0) at once. Beyond revisionHistoryLimit a
 * revision's Deployments are deleted (images never are), and so are the Deployments of a process
 * the spec no longer has.
 */
final class RetireStage {
  private final Cluster cluster;
  private final RolloutDefaults config;

  RetireStage(Cluster cluster, RolloutDefaults config) {
    this.cluster = cluster;
    this.config = config;
  }

  /**
   * @return when the next standby ends, or null
   */
  Duration run(PythonRelease release, Observed obs, Integer target, Outcome out, Instant now) {
    Integer active = out.activeRevision;
    Duration standby = RolloutTiming.standby(release, config);
    Map<String, Workload> processes = new HashMap<>();
    Workload.of(release).forEach(w -> processes.put(w.name(), w));
    Duration next = null;
    for (Deployment d : obs.deployments()) {
      int rev = Labels.revisionOf(d);
      boolean web = Observed.isWeb(d);
      Workload process = processes.get(web ? Labels.WEB : Labels.processOf(d));
      if (process == null) {
        cluster.delete(d); // a process the spec no longer has, in every revision
        continue;
      }
      if (Objects.equals(rev, active) || Objects.equals(rev, target)) {
        continue;
      }
      int replicas =
          d.getSpec() == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
      if (replicas == 0) {
        continue;
      }
      // web stays warm at its size; the others keep standbyReplicas (default 0: a queue never
      // has consumers of two revisions once the switch is done)
      int keep = web ? replicas : Math.min(replicas, process.standbyReplicas());
      Instant recorded = RolloutTiming.instant(d, Labels.STANDBY_SINCE);
      Instant since = recorded == null ? now : recorded;
      Duration left = RolloutTiming.remaining(since, standby, now);
      if (keep == 0 || left.isNegative() || left.isZero()) {
        annotate(d, Map.of(), 0);
        if (web) {
          out.deploymentReplicas.put(rev, 0);
        }
        continue;
      }
      if (recorded == null || keep < replicas) {
        annotate(d, Map.of(Labels.STANDBY_SINCE, since.toString()), keep < replicas ? keep : null);
      }
      next = next == null || left.compareTo(next) < 0 ? left : next;
    }
    prune(release, obs, target, out);
    return next;
  }

  /** Keeps the newest revisionHistoryLimit revisions, plus the active and target ones. */
  private void prune(PythonRelease release, Observed obs, Integer target, Outcome out) {
    int limit =
        release.getSpec().getRevisionHistoryLimit() == null
            ? 10
            : release.getSpec().getRevisionHistoryLimit();
    Set<Integer> keep = new HashSet<>();
    List<Integer> newestFirst = new ArrayList<>(out.revisions.descendingKeySet());
    newestFirst.stream().limit(limit).forEach(keep::add);
    if (out.activeRevision != null) {
      keep.add(out.activeRevision);
    }
    if (target != null) {
      keep.add(target);
    }
    for (Integer n : newestFirst) {
      if (keep.contains(n)) {
        continue;
      }
      obs.deploymentsOf(n).forEach(cluster::delete);
      out.revisions.remove(n);
      out.deploymentReplicas.remove(n);
    }
  }

  /**
   * Adds annotations and sets replicas when given (0 also clears the timing annotations), with the
   * cached resourceVersion.
   */
  private void annotate(Deployment d, Map<String, String> add, Integer replicas) {
    Deployment copy = Serialization.clone(d);
    Map<String, String> ann =
        copy.getMetadata().getAnnotations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(copy.getMetadata().getAnnotations());
    ann.putAll(add);
    if (replicas != null) {
      copy.getSpec().setReplicas(replicas);
    }
    if (Integer.valueOf(0).equals(replicas)) {
      ann.remove(Labels.STANDBY_SINCE);
      ann.remove(Labels.ROLLOUT_STARTED);
    }
    copy.getMetadata().setAnnotations(ann);
    cluster.update(copy);
  }
}
